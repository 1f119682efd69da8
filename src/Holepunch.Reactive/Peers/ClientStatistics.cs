namespace Holepunch.Reactive.Peers;

/// <summary>A snapshot of what a <see cref="HolepunchClient"/> has received, sent and dropped.</summary>
/// <param name="DatagramsReceived">Every datagram the transport delivered.</param>
/// <param name="DatagramsAccepted">Those that passed decoding and the acceptance rules.</param>
/// <param name="DatagramsSent">Every datagram handed to the transport.</param>
/// <param name="DuplicateReliableMessages">Reliable message copies acknowledged but not delivered again.</param>
/// <param name="Drops">Dropped datagrams by reason (codec rejections such as <c>MalformedJson</c>, and acceptance rules such as <c>unknown-sender</c>).</param>
public sealed record ClientStatistics(
    long DatagramsReceived,
    long DatagramsAccepted,
    long DatagramsSent,
    long DuplicateReliableMessages,
    IReadOnlyDictionary<string, long> Drops)
{
    /// <summary>All drops, whatever the reason.</summary>
    public long TotalDrops => Drops.Values.Sum();
}
