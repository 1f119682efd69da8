using System.Net;
using System.Net.Sockets;

namespace Holepunch.Reactive.Transport;

/// <summary>Finds the address a socket bound to a wildcard would use towards a destination.</summary>
internal static class LocalAddressResolver
{
    /// <summary>
    /// Replaces a wildcard address with the one the routing table picks for <paramref name="destination"/>
    /// (a UDP connect sends nothing), keeping the port.
    /// </summary>
    public static IPEndPoint Resolve(IPEndPoint bound, IPEndPoint destination)
    {
        if (!bound.Address.Equals(IPAddress.Any) && !bound.Address.Equals(IPAddress.IPv6Any))
        {
            return bound;
        }

        try
        {
            using var probe = new Socket(destination.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            probe.Connect(destination);
            var local = (IPEndPoint)probe.LocalEndPoint!;
            return new IPEndPoint(local.Address.IsIPv4MappedToIPv6 ? local.Address.MapToIPv4() : local.Address, bound.Port);
        }
        catch (SocketException)
        {
            return new IPEndPoint(destination.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback, bound.Port);
        }
    }
}
