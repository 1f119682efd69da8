namespace Holepunch.Reactive.Peers.Events;

/// <summary>
/// A confirmed peer is now reached another way: upgraded from the relay to a direct path, or fallen back to the
/// relay when the direct path died. Reliable messages in flight continue on the new path.
/// </summary>
/// <param name="Peer">The peer and its new path.</param>
public sealed record PeerPathChanged(PeerInfo Peer) : HolepunchEvent;
