namespace Holepunch.Reactive.Peers.Events;

/// <summary>The rendezvous server refused a request (<c>server_error</c>); the client terminates next.</summary>
/// <param name="Message">The server's words, e.g. <c>room not found</c>.</param>
public sealed record ServerErrorReceived(string Message) : HolepunchEvent;
