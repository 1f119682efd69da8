using System.Net;
using System.Text.Json;

namespace Holepunch.Reactive.Protocol;

/// <summary>One datagram of the holepunch protocol. The set of kinds is closed: see <see cref="MessageKind"/>.</summary>
/// <param name="IntendedRecipient">The recipient's name; empty when the recipient is the rendezvous server.</param>
public abstract record HolepunchMessage(string IntendedRecipient)
{
    /// <summary>Which message this is.</summary>
    public abstract MessageKind Kind { get; }
}

/// <summary>A message one peer sends to another (or to the server): it names its sender.</summary>
/// <param name="Sender">The sending peer's name.</param>
/// <param name="IntendedRecipient">The recipient's name; empty for the rendezvous server.</param>
public abstract record PeerOriginatedMessage(string Sender, string IntendedRecipient) : HolepunchMessage(IntendedRecipient);

/// <summary><c>registering-server</c>: a host registers its room, and refreshes it periodically.</summary>
/// <param name="Sender">The room name, which is also the host's peer name.</param>
/// <param name="LocalEndPoint">The host's address on its own network (the LAN fallback).</param>
/// <param name="SecondsBeforeExpiry">How long the server keeps the registration without a refresh.</param>
public sealed record RegisteringServer(string Sender, IPEndPoint LocalEndPoint, int SecondsBeforeExpiry)
    : PeerOriginatedMessage(Sender, "")
{
    /// <inheritdoc/>
    public override MessageKind Kind => MessageKind.RegisteringServer;

    /// <summary>
    /// Extension <c>capabilities</c>: what this host's client supports (for example <c>"relay"</c>); unknown entries
    /// are ignored. <see langword="null"/> when absent (the Godot client).
    /// </summary>
    public IReadOnlyList<string>? Capabilities { get; init; }

    /// <summary>Extension <c>protocol-version</c>: the client's protocol extension version; <see langword="null"/> when absent.</summary>
    public int? ProtocolVersion { get; init; }

    /// <summary>
    /// Extension <c>room-verifier</c>: the room's key, derived from its secret (see <see cref="RoomSecret"/>), so that
    /// only joiners who know the secret are introduced; <see langword="null"/> for an open room (the Godot protocol).
    /// </summary>
    public string? RoomVerifier { get; init; }
}

/// <summary><c>requesting-to-join-server</c>: a peer asks the server to introduce it to a room's host.</summary>
/// <param name="Sender">The joining peer's name.</param>
/// <param name="LocalEndPoint">The joiner's address on its own network.</param>
/// <param name="ServerName">The room to join.</param>
public sealed record RequestingToJoinServer(string Sender, IPEndPoint LocalEndPoint, string ServerName)
    : PeerOriginatedMessage(Sender, "")
{
    /// <inheritdoc/>
    public override MessageKind Kind => MessageKind.RequestingToJoinServer;

    /// <summary>
    /// Extension <c>capabilities</c>: what the joiner's client supports (for example <c>"relay"</c>); unknown entries
    /// are ignored. <see langword="null"/> when absent (the Godot client).
    /// </summary>
    public IReadOnlyList<string>? Capabilities { get; init; }

    /// <summary>Extension <c>protocol-version</c>: the client's protocol extension version; <see langword="null"/> when absent.</summary>
    public int? ProtocolVersion { get; init; }

    /// <summary>Extension <c>challenge</c>: the server's challenge this join answers (see <see cref="RoomSecret"/>); <see langword="null"/> when none.</summary>
    public string? Challenge { get; init; }

    /// <summary>Extension <c>challenge-response</c>: the proof that the joiner knows the room's secret; <see langword="null"/> when none.</summary>
    public string? ChallengeResponse { get; init; }
}

/// <summary><c>confirming-registration</c>: the server accepted a registration or refresh.</summary>
/// <param name="IntendedRecipient">The registered room.</param>
public sealed record ConfirmingRegistration(string IntendedRecipient) : HolepunchMessage(IntendedRecipient)
{
    /// <inheritdoc/>
    public override MessageKind Kind => MessageKind.ConfirmingRegistration;
}

/// <summary><c>providing-peer-handshake-info</c>: the server tells a peer where another peer can be reached.</summary>
/// <param name="IntendedRecipient">The peer this introduction is for.</param>
/// <param name="PeerName">The other peer's name.</param>
/// <param name="GlobalEndPoint">The other peer's address as the server saw it (its NAT's public mapping).</param>
/// <param name="LocalEndPoint">The other peer's address as it reported it (its LAN address).</param>
public sealed record ProvidingPeerHandshakeInfo(string IntendedRecipient, string PeerName, IPEndPoint GlobalEndPoint, IPEndPoint LocalEndPoint)
    : HolepunchMessage(IntendedRecipient)
{
    /// <inheritdoc/>
    public override MessageKind Kind => MessageKind.ProvidingPeerHandshakeInfo;

    /// <summary>
    /// Extension <c>peer-capabilities</c>: the other peer's capabilities as it announced them to the server;
    /// <see langword="null"/> when it announced none (or the server does not know the extension).
    /// </summary>
    public IReadOnlyList<string>? PeerCapabilities { get; init; }

    /// <summary>
    /// Extension <c>relay-token</c>: the token of a relay the server keeps for these two peers (see
    /// <see cref="RelayDatagram"/>); <see langword="null"/> when the server offers none.
    /// </summary>
    public string? RelayToken { get; init; }
}

/// <summary><c>server-error</c>: the server refused a request.</summary>
/// <param name="IntendedRecipient">The peer the error is for.</param>
/// <param name="Message">The reason, as the reference server words it (for example <c>NAME not found</c>).</param>
public sealed record ServerError(string IntendedRecipient, string Message) : HolepunchMessage(IntendedRecipient)
{
    /// <inheritdoc/>
    public override MessageKind Kind => MessageKind.ServerError;

    /// <summary>
    /// Extension <c>challenge</c>: the room needs a secret, and a join that answers this challenge will be introduced
    /// (see <see cref="RoomSecret"/>); <see langword="null"/> for a plain error. Clients that do not know the
    /// extension (the Godot client) see a plain error.
    /// </summary>
    public string? Challenge { get; init; }
}

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

/// <summary><c>peer-check</c>: a keepalive that expects a <see cref="PeerCheckResponse"/>.</summary>
/// <param name="Sender">The checking peer.</param>
/// <param name="IntendedRecipient">The checked peer.</param>
public sealed record PeerCheck(string Sender, string IntendedRecipient) : PeerOriginatedMessage(Sender, IntendedRecipient)
{
    /// <inheritdoc/>
    public override MessageKind Kind => MessageKind.PeerCheck;
}

/// <summary><c>peer-check-response</c>: the answer to a <see cref="PeerCheck"/>.</summary>
/// <param name="Sender">The answering peer.</param>
/// <param name="IntendedRecipient">The checking peer.</param>
public sealed record PeerCheckResponse(string Sender, string IntendedRecipient) : PeerOriginatedMessage(Sender, IntendedRecipient)
{
    /// <inheritdoc/>
    public override MessageKind Kind => MessageKind.PeerCheckResponse;
}

/// <summary><c>unreliable-peer-message</c>: a user message, fire and forget.</summary>
/// <param name="Sender">The sending peer.</param>
/// <param name="IntendedRecipient">The receiving peer.</param>
/// <param name="Message">Any JSON value.</param>
public sealed record UnreliablePeerMessage(string Sender, string IntendedRecipient, JsonElement Message)
    : PeerOriginatedMessage(Sender, IntendedRecipient)
{
    /// <inheritdoc/>
    public override MessageKind Kind => MessageKind.UnreliablePeerMessage;
}

/// <summary><c>reliable-peer-message</c>: a user message that is acknowledged and delivered once.</summary>
/// <param name="Sender">The sending peer.</param>
/// <param name="IntendedRecipient">The receiving peer.</param>
/// <param name="MessageId">The sender's counter for this message.</param>
/// <param name="Message">Any JSON value.</param>
public sealed record ReliablePeerMessage(string Sender, string IntendedRecipient, long MessageId, JsonElement Message)
    : PeerOriginatedMessage(Sender, IntendedRecipient)
{
    /// <inheritdoc/>
    public override MessageKind Kind => MessageKind.ReliablePeerMessage;
}

/// <summary><c>reliable-peer-message-response</c>: the receipt for one copy of a reliable message.</summary>
/// <param name="Sender">The peer that received the message.</param>
/// <param name="IntendedRecipient">The peer that sent it.</param>
/// <param name="MessageId">The acknowledged message's id.</param>
/// <param name="Message">The mirrored message, as the Godot client sends it; <see langword="null"/> when absent.</param>
public sealed record ReliablePeerMessageResponse(string Sender, string IntendedRecipient, long MessageId, JsonElement? Message)
    : PeerOriginatedMessage(Sender, IntendedRecipient)
{
    /// <inheritdoc/>
    public override MessageKind Kind => MessageKind.ReliablePeerMessageResponse;
}
