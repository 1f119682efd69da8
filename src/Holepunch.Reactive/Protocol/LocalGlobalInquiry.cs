namespace Holepunch.Reactive.Protocol;

/// <summary><c>local-global-inqury</c> (sic): a punch probe sent to one of a peer's addresses.</summary>
/// <param name="Sender">The probing peer.</param>
/// <param name="IntendedRecipient">The probed peer.</param>
/// <param name="UsedGlobal"><see langword="true"/> when sent to the global address, <see langword="false"/> for the local one.</param>
public sealed record LocalGlobalInquiry(string Sender, string IntendedRecipient, bool UsedGlobal)
    : PeerOriginatedMessage(Sender, IntendedRecipient)
{
    /// <inheritdoc/>
    public override MessageKind Kind => MessageKind.LocalGlobalInquiry;
}
