using System.Net;
using System.Net.Sockets;

namespace Holepunch.Reactive.Rendezvous;

/// <summary>
/// Which reported local (LAN) addresses the server passes on. An introduction makes the other peer send punch probes
/// to the reported local address, so a forged request could otherwise point honest peers at any address on the
/// internet. A local address is passed on when it is a private, shared, loopback or link-local address (where a LAN
/// fallback can work), or the request's own source address; any other is replaced by the source's public address.
/// </summary>
internal static class LocalAddressPolicy
{
    /// <summary>The local end point to introduce: <paramref name="reported"/>, or <paramref name="source"/> when it is not plausible.</summary>
    public static IPEndPoint Introduced(IPEndPoint reported, IPEndPoint source, IList<IPNetwork>? lanNetworks = null) =>
        IsPlausible(reported.Address, source.Address) || InAny(reported.Address, lanNetworks) ? reported : source;

    private static bool InAny(IPAddress address, IList<IPNetwork>? networks)
    {
        if (networks is null)
        {
            return false;
        }

        var unmapped = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var network in networks)
        {
            if (network.Contains(unmapped))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="local"/> can be the LAN address of a peer whose datagrams come from <paramref name="source"/>.</summary>
    public static bool IsPlausible(IPAddress local, IPAddress source)
    {
        if (local.IsIPv4MappedToIPv6)
        {
            local = local.MapToIPv4();
        }

        if (source.IsIPv4MappedToIPv6)
        {
            source = source.MapToIPv4();
        }

        return local.Equals(source) || IsNotGlobal(local);
    }

    private static bool IsNotGlobal(IPAddress address)
    {
        if (IPAddress.IsLoopback(address))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            // Link-local fe80::/10, site-local fec0::/10 (deprecated), unique local fc00::/7.
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal;
        }

        Span<byte> b = stackalloc byte[4];
        if (!address.TryWriteBytes(b, out _))
        {
            return false;
        }

        return b[0] == 10
            || (b[0] == 172 && (b[1] & 0xF0) == 16)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 100 && (b[1] & 0xC0) == 64)
            || (b[0] == 169 && b[1] == 254);
    }
}
