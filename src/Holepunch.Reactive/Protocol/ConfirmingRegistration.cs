namespace Holepunch.Reactive.Protocol;

/// <summary><c>confirming-registration</c>: the server accepted a registration or refresh.</summary>
/// <param name="IntendedRecipient">The registered room.</param>
public sealed record ConfirmingRegistration(string IntendedRecipient) : HolepunchMessage(IntendedRecipient)
{
    /// <inheritdoc/>
    public override MessageKind Kind => MessageKind.ConfirmingRegistration;
}
