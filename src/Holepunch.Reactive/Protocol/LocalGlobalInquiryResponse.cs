namespace Holepunch.Reactive.Protocol;

/// <summary><c>local-global-inquiry-response</c>: a probe's echo, sent back to where the probe came from.</summary>
/// <param name="Sender">The answering peer.</param>
/// <param name="IntendedRecipient">The peer that probed.</param>
/// <param name="UsedGlobal">Mirrors the probe: which of the recipient's addresses the path uses.</param>
public sealed record LocalGlobalInquiryResponse(string Sender, string IntendedRecipient, bool UsedGlobal)
    : PeerOriginatedMessage(Sender, IntendedRecipient)
{
    /// <summary>
    /// Extension key <c>unsolicited</c>: sent without a probe to answer (for the Godot client, which probes our
    /// global address once). Our peers count it as heard, not as confirmation; the Godot client ignores the key.
    /// </summary>
    public bool Unsolicited { get; init; }

    /// <inheritdoc/>
    public override MessageKind Kind => MessageKind.LocalGlobalInquiryResponse;
}
