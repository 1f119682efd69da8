namespace Holepunch.Reactive.Peers.Events;

/// <summary>A punch succeeded: the peer is in <see cref="HolepunchClient.Peers"/> (<c>peer_confirmed</c>).</summary>
/// <param name="Peer">The peer and the path to it.</param>
public sealed record PeerConfirmed(PeerInfo Peer) : HolepunchEvent;
