using System.Net;

namespace Holepunch.Reactive.Peers;

/// <summary>A confirmed peer: what <c>get_peers()</c> returns for one name, plus how it is reached.</summary>
/// <param name="Name">The peer's name, the key of <see cref="HolepunchClient.Peers"/>.</param>
/// <param name="EndPoint">The address its datagrams are sent to, fixed by the first punch response.</param>
/// <param name="Via">Whether <paramref name="EndPoint"/> is the peer's local or global address.</param>
/// <param name="RoundTripTime">The latest measured round trip (punch response or peer check).</param>
public sealed record PeerInfo(string Name, IPEndPoint EndPoint, PeerAddressKind Via, TimeSpan RoundTripTime)
{
    /// <summary>
    /// Whether every datagram with this peer is sealed with keys the two clients agreed at the handshake (both have
    /// <see cref="HolepunchClientOptions.SecurePeers"/> on): a datagram from this peer was then sent by the holder of
    /// the key the server introduced, unaltered and not replayed. <see langword="false"/> for a plain peer (the Godot
    /// client): its datagrams are accepted by sender name and source address only, which an attacker who can spoof
    /// that address can forge.
    /// </summary>
    /// <remarks>The key comes through the rendezvous server: a dishonest server can still stand in the middle.</remarks>
    public bool IsAuthenticated { get; init; }
}
