using System.Net;

namespace Holepunch.Reactive.Protocol;

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

    /// <summary>
    /// Extension <c>peer-key</c>: the client's ephemeral ECDH public key (P-256, SubjectPublicKeyInfo, base64url), which
    /// the server passes to the other side of each introduction so the two peers can seal their datagrams
    /// (<see cref="SealedPeerDatagram"/>); <see langword="null"/> when absent (the Godot client, or sealing turned off).
    /// </summary>
    public string? PeerKey { get; init; }

    /// <summary>Extension <c>challenge</c>: the server's challenge this join answers (see <see cref="RoomSecret"/>); <see langword="null"/> when none.</summary>
    public string? Challenge { get; init; }

    /// <summary>Extension <c>challenge-response</c>: the proof that the joiner knows the room's secret; <see langword="null"/> when none.</summary>
    public string? ChallengeResponse { get; init; }
}
