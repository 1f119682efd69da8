namespace Holepunch.Reactive.Protocol;

/// <summary><c>peer-check</c>: a keepalive that expects a <see cref="PeerCheckResponse"/>.</summary>
/// <param name="Sender">The checking peer.</param>
/// <param name="IntendedRecipient">The checked peer.</param>
public sealed record PeerCheck(string Sender, string IntendedRecipient) : PeerOriginatedMessage(Sender, IntendedRecipient)
{
    /// <inheritdoc/>
    public override MessageKind Kind => MessageKind.PeerCheck;
}
