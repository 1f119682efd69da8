using System.Text.Json;

namespace Holepunch.Reactive.Peers.Events;

/// <summary>A reliable message was never acknowledged (<c>reliable_message_timeout</c>).</summary>
/// <param name="PeerName">The peer.</param>
/// <param name="MessageId">The message's id.</param>
/// <param name="Message">The message.</param>
public sealed record ReliableMessageTimedOut(string PeerName, long MessageId, JsonElement Message) : HolepunchEvent;
