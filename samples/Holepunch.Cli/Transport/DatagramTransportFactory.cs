using System.Net;
using Holepunch.Reactive.Transport;

namespace Holepunch.Cli.Transport;

/// <summary>Creates the datagram transports the commands run on.</summary>
internal static class DatagramTransportFactory
{
    /// <summary>
    /// A UDP socket bound to <paramref name="endPoint"/>, reporting each datagram's local address. Bound to a
    /// wildcard, it also binds every local address on the same port so that replies leave from the address a
    /// request arrived at (the Godot client accepts replies only from the address it sent to).
    /// </summary>
    /// <param name="endPoint">Where to bind.</param>
    /// <returns>The transport.</returns>
    public static IDatagramTransport CreateUdp(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var wildcard = endPoint.Address.Equals(IPAddress.Any) || endPoint.Address.Equals(IPAddress.IPv6Any);
        return UdpDatagramTransport.Bind(new UdpTransportOptions { BindEndPoint = endPoint, BindAllLocalAddresses = wildcard });
    }
}
