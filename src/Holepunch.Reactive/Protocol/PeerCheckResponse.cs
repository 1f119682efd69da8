namespace Holepunch.Reactive.Protocol;

/// <summary><c>peer-check-response</c>: the answer to a <see cref="PeerCheck"/>.</summary>
/// <param name="Sender">The answering peer.</param>
/// <param name="IntendedRecipient">The checking peer.</param>
public sealed record PeerCheckResponse(string Sender, string IntendedRecipient) : PeerOriginatedMessage(Sender, IntendedRecipient)
{
    /// <inheritdoc/>
    public override MessageKind Kind => MessageKind.PeerCheckResponse;
}
