using System.Net;

namespace Holepunch.Reactive.Protocol;

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

    /// <summary>
    /// Extension <c>peer-key</c>: the other peer's ephemeral public key as it announced it to the server (see
    /// <see cref="RegisteringServer.PeerKey"/>); <see langword="null"/> when it announced none.
    /// </summary>
    public string? PeerKey { get; init; }
}
