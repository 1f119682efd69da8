using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Holepunch.Reactive.Transport;

/// <summary>Creates, configures and binds the sockets of one transport: the primary socket first, then one per extra local address.</summary>
internal static class UdpSocketFactory
{
    /// <summary>Windows' <c>SIO_UDP_CONNRESET</c>: off stops ICMP port-unreachable failing the next receive.</summary>
    private const int SioUdpConnReset = unchecked((int)0x9800000C);

    /// <summary>Binds every socket the options ask for, all on the primary socket's port.</summary>
    /// <exception cref="SocketException">The primary address or one of the additional addresses could not be bound.</exception>
    public static List<Socket> BindAll(UdpTransportOptions options)
    {
        IPEndPoint bind = options.BindEndPoint;
        bool wildcard = IsWildcard(bind.Address);
        List<IPAddress> required = Distinct(options.AdditionalBindAddresses, exclude: bind.Address, []);
        List<IPAddress> discovered = wildcard && options.BindAllLocalAddresses
            ? Distinct(DiscoverLocalAddresses(CarriesIPv4(bind.Address, options.DualMode), bind.AddressFamily == AddressFamily.InterNetworkV6), bind.Address, required)
            : [];

        List<Socket> sockets = [];
        try
        {
            Socket primary = Create(bind.AddressFamily, options.DualMode, options);
            sockets.Add(primary);

            // The primary binds without SO_REUSEADDR so that its port (an ephemeral one above all) is its own; the flag,
            // checked on the existing socket when a later one binds, is set afterwards to let the extra sockets join it.
            primary.Bind(bind);
            if (required.Count + discovered.Count == 0)
            {
                return sockets;
            }

            primary.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            int port = ((IPEndPoint)primary.LocalEndPoint!).Port;
            foreach (IPAddress address in required)
            {
                Socket socket = Create(address.AddressFamily, dualMode: false, options);
                sockets.Add(socket);
                BindShared(socket, address, port);
            }

            foreach (IPAddress address in discovered)
            {
                Socket socket = Create(address.AddressFamily, dualMode: false, options);
                try
                {
                    BindShared(socket, address, port);
                    sockets.Add(socket);
                }
                catch (SocketException)
                {
                    // Discovered addresses are best effort (tentative IPv6 addresses, vanished interfaces).
                    socket.Dispose();
                }
            }

            return sockets;
        }
        catch
        {
            foreach (Socket socket in sockets)
            {
                socket.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// Binds one more socket to <paramref name="address"/> on <paramref name="primary"/>'s port, after the transport
    /// started (the primary gets SO_REUSEADDR now if it had no extra sockets yet).
    /// </summary>
    /// <exception cref="SocketException">The address cannot be bound (not local, or taken).</exception>
    public static Socket BindOnDemand(Socket primary, IPAddress address, UdpTransportOptions options)
    {
        primary.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        int port = ((IPEndPoint)primary.LocalEndPoint!).Port;
        Socket socket = Create(address.AddressFamily, dualMode: false, options);
        try
        {
            BindShared(socket, address, port);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Whether an address is the IPv4 or IPv6 wildcard.</summary>
    public static bool IsWildcard(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    /// <summary>Whether a socket bound to <paramref name="address"/> can exchange IPv4 datagrams.</summary>
    public static bool CarriesIPv4(IPAddress address, bool dualMode) =>
        address.AddressFamily == AddressFamily.InterNetwork
        || (dualMode && (address.Equals(IPAddress.IPv6Any) || address.IsIPv4MappedToIPv6));

    /// <summary>Whether a socket bound to <paramref name="address"/> can exchange IPv6 datagrams.</summary>
    public static bool CarriesIPv6(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && !address.IsIPv4MappedToIPv6;

    private static Socket Create(AddressFamily family, bool dualMode, UdpTransportOptions options)
    {
        var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (family == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = dualMode;
            }

            if (options.ReceiveBufferSize is int receiveBufferSize)
            {
                socket.ReceiveBufferSize = receiveBufferSize;
            }

            if (options.SendBufferSize is int sendBufferSize)
            {
                socket.SendBufferSize = sendBufferSize;
            }

            if (OperatingSystem.IsWindows())
            {
                socket.IOControl(SioUdpConnReset, [0, 0, 0, 0], null);
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static void BindShared(Socket socket, IPAddress address, int port)
    {
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        socket.Bind(new IPEndPoint(address, port));
    }

    private static List<IPAddress> Distinct(IEnumerable<IPAddress> addresses, IPAddress exclude, List<IPAddress> already)
    {
        List<IPAddress> result = [];
        foreach (IPAddress candidate in addresses)
        {
            IPAddress address = candidate.IsIPv4MappedToIPv6 ? candidate.MapToIPv4() : candidate;
            if (!address.Equals(exclude) && !result.Contains(address) && !already.Contains(address))
            {
                result.Add(address);
            }
        }

        return result;
    }

    private static List<IPAddress> DiscoverLocalAddresses(bool ipv4, bool ipv6)
    {
        List<IPAddress> addresses = [];
        try
        {
            foreach (NetworkInterface nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                // Linux reports the loopback interface as Unknown rather than Up.
                if (nic.OperationalStatus is not (OperationalStatus.Up or OperationalStatus.Unknown))
                {
                    continue;
                }

                foreach (UnicastIPAddressInformation unicast in nic.GetIPProperties().UnicastAddresses)
                {
                    IPAddress address = unicast.Address;
                    bool wanted = address.AddressFamily switch
                    {
                        AddressFamily.InterNetwork => ipv4,
                        AddressFamily.InterNetworkV6 => ipv6,
                        _ => false,
                    };
                    if (wanted)
                    {
                        addresses.Add(address);
                    }
                }
            }
        }
        catch (NetworkInformationException)
        {
            // Enumeration is best effort: the transport still works through its wildcard socket.
        }

        return addresses;
    }
}
