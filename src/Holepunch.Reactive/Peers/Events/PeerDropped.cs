namespace Holepunch.Reactive.Peers.Events;

/// <summary>A confirmed peer left <see cref="HolepunchClient.Peers"/> (<c>peer_dropped</c>).</summary>
/// <param name="PeerName">The peer.</param>
/// <param name="Reason">Why.</param>
public sealed record PeerDropped(string PeerName, PeerDropReason Reason) : HolepunchEvent;
