namespace Holepunch.Reactive.Peers.Events;

/// <summary>The client gave up its socket and every peer (<c>connection_terminated</c>); the last event.</summary>
/// <param name="Reason">Why, in words.</param>
/// <param name="Error">The failure behind it; <see langword="null"/> when the client was closed on purpose.</param>
public sealed record ConnectionTerminated(string Reason, Exception? Error) : HolepunchEvent;
