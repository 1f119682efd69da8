using System.Net;
using Holepunch.Reactive.Transport;

namespace Holepunch.Cli.Transport;

/// <summary>Creates the datagram transports the commands run on.</summary>
internal static class DatagramTransportFactory
{
    /// <summary>A UDP socket bound to <paramref name="endPoint"/>, reporting each datagram's local address.</summary>
    /// <param name="endPoint">Where to bind.</param>
    /// <returns>The transport.</returns>
    public static IDatagramTransport CreateUdp(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        // TODO(merge): UdpDatagramTransport — return new UdpDatagramTransport(endPoint) once it lands from its branch.
        throw new NotImplementedException($"The UDP transport is not merged yet: cannot bind {endPoint}.");
    }
}
