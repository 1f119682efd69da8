namespace Holepunch.Reactive.Peers.Events;

/// <summary>An unreliable message arrived (<c>received_unreliable_message_from_peer</c>).</summary>
/// <param name="Message">The message.</param>
public sealed record UnreliableMessageReceived(PeerMessage Message) : HolepunchEvent;
