namespace Holepunch.Reactive.Protocol;

/// <summary>One datagram of the holepunch protocol. The set of kinds is closed: see <see cref="MessageKind"/>.</summary>
/// <param name="IntendedRecipient">The recipient's name; empty when the recipient is the rendezvous server.</param>
public abstract record HolepunchMessage(string IntendedRecipient)
{
    /// <summary>Which message this is.</summary>
    public abstract MessageKind Kind { get; }
}
