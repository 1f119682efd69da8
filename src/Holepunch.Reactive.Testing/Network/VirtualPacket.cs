using System.Net;

namespace Holepunch.Reactive.Testing.Network;

/// <summary>A datagram on its way through the virtual network; immutable, so duplicates may share it.</summary>
/// <param name="Payload">The bytes, copied once when sent.</param>
/// <param name="Source">The source endpoint, translated by each NAT on the way out.</param>
/// <param name="Destination">The destination endpoint, translated by each NAT on the way in.</param>
/// <param name="Sender">The sending host (its realm is where routing starts; hairpinning is judged against it).</param>
/// <param name="Receiver">The receiving host, once routing found it.</param>
internal sealed record VirtualPacket(byte[] Payload, IPEndPoint Source, IPEndPoint Destination, VirtualHost Sender, VirtualHost? Receiver);
