namespace Holepunch.Reactive.Peers.Events;

/// <summary>A reliable message arrived for the first time (<c>received_reliable_message_from_peer</c>).</summary>
/// <param name="Message">The message.</param>
public sealed record ReliableMessageReceived(PeerMessage Message) : HolepunchEvent;
