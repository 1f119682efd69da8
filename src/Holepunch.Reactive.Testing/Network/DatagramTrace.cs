using System.Net;

namespace Holepunch.Reactive.Testing.Network;

/// <summary>One datagram's (or duplicate's) final outcome, as published by <see cref="VirtualNetwork.Trace"/>.</summary>
/// <param name="Time">The scheduler time of the outcome.</param>
/// <param name="Source">The source endpoint at that point (after any NAT translation on the way).</param>
/// <param name="Destination">The destination endpoint at that point (after any NAT translation on the way).</param>
/// <param name="Length">The payload length in bytes.</param>
/// <param name="Outcome">Delivered, or why it was dropped.</param>
public readonly record struct DatagramTrace(DateTimeOffset Time, IPEndPoint Source, IPEndPoint Destination, int Length, DatagramOutcome Outcome);
