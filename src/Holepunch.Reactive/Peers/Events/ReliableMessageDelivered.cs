using System.Text.Json;

namespace Holepunch.Reactive.Peers.Events;

/// <summary>A peer acknowledged one of our reliable messages (<c>peer_confirmed_reliable_message_received</c>).</summary>
/// <param name="PeerName">The peer.</param>
/// <param name="MessageId">The message's id.</param>
/// <param name="Message">The message.</param>
/// <param name="RoundTripTime">From the first send to the acknowledgement.</param>
public sealed record ReliableMessageDelivered(string PeerName, long MessageId, JsonElement Message, TimeSpan RoundTripTime) : HolepunchEvent;
