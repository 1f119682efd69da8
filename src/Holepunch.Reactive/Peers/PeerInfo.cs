using System.Net;

namespace Holepunch.Reactive.Peers;

/// <summary>A confirmed peer: what <c>get_peers()</c> returns for one name, plus how it is reached.</summary>
/// <param name="Name">The peer's name, the key of <see cref="HolepunchClient.Peers"/>.</param>
/// <param name="EndPoint">The address its datagrams are sent to, fixed by the first punch response.</param>
/// <param name="Via">Whether <paramref name="EndPoint"/> is the peer's local or global address.</param>
/// <param name="RoundTripTime">The latest measured round trip (punch response or peer check).</param>
public sealed record PeerInfo(string Name, IPEndPoint EndPoint, PeerAddressKind Via, TimeSpan RoundTripTime);
