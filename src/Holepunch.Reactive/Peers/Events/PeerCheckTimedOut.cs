namespace Holepunch.Reactive.Peers.Events;

/// <summary>A confirmed peer stopped answering peer checks and was removed (<c>peer_check_timeout</c>).</summary>
/// <param name="PeerName">The peer.</param>
public sealed record PeerCheckTimedOut(string PeerName) : HolepunchEvent;
