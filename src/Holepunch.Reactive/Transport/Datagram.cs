using System.Net;

namespace Holepunch.Reactive.Transport;

/// <summary>One received UDP datagram: its payload, who sent it and the local address it arrived on.</summary>
/// <param name="Payload">
/// The datagram's bytes. A transport may reuse the memory once the observer's <c>OnNext</c> returns, for a later
/// datagram or another socket's: decode it or copy it (<see cref="ReadOnlyMemory{T}.ToArray"/>) before then.
/// </param>
/// <param name="RemoteEndPoint">The source address and port, as seen by this host (IPv4-mapped addresses are unmapped).</param>
/// <param name="LocalEndPoint">
/// The local address and port the datagram arrived on (packet information), so a reply can leave from
/// the same address; the bound wildcard address when the transport cannot tell.
/// </param>
public readonly record struct Datagram(ReadOnlyMemory<byte> Payload, IPEndPoint RemoteEndPoint, IPEndPoint LocalEndPoint);
