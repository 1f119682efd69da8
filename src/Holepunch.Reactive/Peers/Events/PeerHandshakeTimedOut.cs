using System.Net;

namespace Holepunch.Reactive.Peers.Events;

/// <summary>No punch probe to a peer was answered in time; the peer was given up (<c>peer_handshake_timeout</c>).</summary>
/// <param name="PeerName">The peer.</param>
/// <param name="Tried">The addresses that were probed (directly; the relay too when <paramref name="TriedRelay"/>).</param>
/// <param name="Heard">The addresses anything was heard from while punching (a probe that came in but no answer to ours).</param>
/// <param name="TriedRelay">Whether the server's relay was probed too.</param>
public sealed record PeerHandshakeTimedOut(string PeerName, IReadOnlyList<IPEndPoint> Tried, IReadOnlyList<IPEndPoint> Heard, bool TriedRelay) : HolepunchEvent;
