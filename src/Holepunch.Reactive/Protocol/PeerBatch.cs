namespace Holepunch.Reactive.Protocol;

/// <summary>
/// <c>peer-batch</c> (extension): several peer messages, and acknowledgements of reliable messages, in one datagram.
/// Only sent to a peer whose introduction announced <see cref="ProtocolCapabilities.Batch"/>; a Godot peer never sees one.
/// </summary>
/// <remarks>
/// On the wire: <c>{"type":"peer-batch","sender":…,"intended-recipient":…,"acks":[3,4],"messages":[{…},{…}]}</c>.
/// Each entry of <c>messages</c> is a whole peer message, the datagram it would be alone, except that it leaves out
/// <c>sender</c> and <c>intended-recipient</c> when they are the batch's (an entry without them takes the batch's); every
/// reliable message is still acknowledged and de-duplicated by its own id; <c>acks</c> acknowledges reliable messages by id
/// (a compact <see cref="ReliablePeerMessageResponse"/> without the mirrored message). Either key may be absent, not both.
/// Decoding is lenient entry by entry: an entry that does not decode, or that a batch cannot carry (a batch, a sealed or
/// relayed datagram, a punch probe, a server message), or beyond <see cref="MaxMessages"/> (or
/// <see cref="MaxAcknowledgements"/>), is left out and listed in <see cref="Rejected"/>; the rest still count.
/// </remarks>
/// <param name="Sender">The sending peer.</param>
/// <param name="IntendedRecipient">The receiving peer.</param>
/// <param name="Acknowledgements">The ids of the reliable messages acknowledged.</param>
/// <param name="Messages">The messages, in send order.</param>
public sealed record PeerBatch(string Sender, string IntendedRecipient, IReadOnlyList<long> Acknowledgements, IReadOnlyList<PeerOriginatedMessage> Messages)
    : PeerOriginatedMessage(Sender, IntendedRecipient)
{
    /// <summary>The most messages one batch carries; later entries are rejected.</summary>
    public const int MaxMessages = 64;

    /// <summary>The most acknowledgements one batch carries; later ones are rejected.</summary>
    public const int MaxAcknowledgements = 512;

    /// <inheritdoc/>
    public override MessageKind Kind => MessageKind.PeerBatch;

    /// <summary>The entries left out when the batch was decoded, one rejection each; empty when sending.</summary>
    public IReadOnlyList<Rejection> Rejected { get; init; } = [];

    /// <summary>Whether a batch may carry a message of this kind: the messages of a confirmed peer, nothing else.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns><see langword="true"/> for checks, their answers, and unreliable and reliable messages and their acknowledgements.</returns>
    public static bool CanCarry(MessageKind kind) => kind is MessageKind.PeerCheck or MessageKind.PeerCheckResponse
        or MessageKind.UnreliablePeerMessage or MessageKind.ReliablePeerMessage or MessageKind.ReliablePeerMessageResponse;
}
