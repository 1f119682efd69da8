namespace Holepunch.Reactive.Transport;

/// <summary>A snapshot of a <see cref="UdpDatagramTransport"/>'s counters since it was bound.</summary>
/// <param name="DatagramsReceived">Datagrams delivered to <see cref="IDatagramTransport.Received"/>.</param>
/// <param name="BytesReceived">Payload bytes of the delivered datagrams.</param>
/// <param name="DatagramsSent">Datagrams handed to the network by <see cref="IDatagramTransport.Send"/>.</param>
/// <param name="BytesSent">Payload bytes of the sent datagrams.</param>
/// <param name="SendFailures">
/// Sends that returned <see langword="false"/>: a socket error, a payload over the maximum size, no socket for the
/// remote address family, or a send after disposal.
/// </param>
/// <param name="ReceiveErrors">
/// Transient receive errors the receive loop survived (ICMP-driven resets and refusals, unreachable networks).
/// </param>
/// <param name="OversizeDatagrams">Inbound datagrams over the maximum size, dropped.</param>
/// <param name="SourceAddressFallbacks">
/// Sends asking for a local address that has no socket of its own (or not one for the remote's address family):
/// they left from the default socket and the operating system chose the source address.
/// </param>
public readonly record struct UdpTransportStatistics(
    long DatagramsReceived,
    long BytesReceived,
    long DatagramsSent,
    long BytesSent,
    long SendFailures,
    long ReceiveErrors,
    long OversizeDatagrams,
    long SourceAddressFallbacks);
