using System.Net;

namespace Holepunch.Reactive.Protocol;

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
    /// Extension <c>peer-key</c>: the client's ephemeral ECDH public key (P-256, SubjectPublicKeyInfo, base64url), which
    /// the server passes to the other side of each introduction so the two peers can seal their datagrams
    /// (<see cref="SealedPeerDatagram"/>); <see langword="null"/> when absent (the Godot client, or sealing turned off).
    /// </summary>
    public string? PeerKey { get; init; }

    /// <summary>
    /// Extension <c>room-verifier</c>: the room's key, derived from its secret (see <see cref="RoomSecret"/>), so that
    /// only joiners who know the secret are introduced; <see langword="null"/> for an open room (the Godot protocol).
    /// </summary>
    public string? RoomVerifier { get; init; }
}
