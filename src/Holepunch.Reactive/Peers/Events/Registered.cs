namespace Holepunch.Reactive.Peers.Events;

/// <summary>The rendezvous server confirmed this host's room (the first confirmation; refreshes are silent).</summary>
/// <param name="Room">The room name.</param>
public sealed record Registered(string Room) : HolepunchEvent;
