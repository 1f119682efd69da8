using System.Net;

namespace Holepunch.Reactive.Peers.Events;

/// <summary>No punch probe to a peer was answered in time; the peer was given up (<c>peer_handshake_timeout</c>).</summary>
/// <param name="PeerName">The peer.</param>
/// <param name="Tried">The addresses that were probed.</param>
public sealed record PeerHandshakeTimedOut(string PeerName, IReadOnlyList<IPEndPoint> Tried) : HolepunchEvent;
