namespace Holepunch.Reactive.Peers;

/// <summary>The acknowledgement of one reliable message.</summary>
/// <param name="PeerName">The peer that acknowledged it.</param>
/// <param name="MessageId">The message's id.</param>
/// <param name="RoundTripTime">From the first send to the acknowledgement, resends included.</param>
public sealed record DeliveryReceipt(string PeerName, long MessageId, TimeSpan RoundTripTime);
