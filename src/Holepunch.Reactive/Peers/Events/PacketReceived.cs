using System.Net;
using Holepunch.Reactive.Protocol;

namespace Holepunch.Reactive.Peers.Events;

/// <summary>A datagram passed the acceptance rules (<c>packet_received</c>).</summary>
/// <param name="Message">The decoded datagram.</param>
/// <param name="RemoteEndPoint">Where it came from.</param>
public sealed record PacketReceived(HolepunchMessage Message, IPEndPoint RemoteEndPoint) : HolepunchEvent;
