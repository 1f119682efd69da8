using System.Net;
using System.Net.Sockets;

namespace Holepunch.Reactive.Transport;

/// <summary>
/// One bound socket of a <see cref="UdpDatagramTransport"/> and its receive loop: one pinned buffer reused for every
/// datagram, emitted synchronously, with the last remote and arrival end points cached so a steady peer costs no
/// allocation beyond what the socket API forces.
/// </summary>
internal sealed class UdpSocketBinding
{
    private readonly UdpDatagramTransport _owner;
    private readonly byte[] _buffer;
    private readonly int _maxDatagramSize;
    private readonly bool _usePacketInformation;

    // Receive without packet information: the sender's native address, compared byte-wise with the last one.
    private readonly SocketAddress _receivedAddress;
    private readonly byte[] _lastRemoteAddress;
    private int _lastRemoteAddressSize;

    // Receive with packet information: the last end point the runtime produced, handed back to it so it can reuse it.
    private EndPoint _lastRawRemote;
    private IPEndPoint? _lastRemote;
    private IPAddress? _lastArrivalAddress;
    private IPEndPoint _lastArrival;

    public UdpSocketBinding(UdpDatagramTransport owner, Socket socket, UdpTransportOptions options)
    {
        _owner = owner;
        Socket = socket;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        IPAddress address = LocalEndPoint.Address;
        IsWildcard = UdpSocketFactory.IsWildcard(address);
        CarriesIPv4 = UdpSocketFactory.CarriesIPv4(address, socket.AddressFamily == AddressFamily.InterNetworkV6 && socket.DualMode);
        CarriesIPv6 = UdpSocketFactory.CarriesIPv6(address);
        Address = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

        _maxDatagramSize = options.MaxDatagramSize;
        _usePacketInformation = IsWildcard && options.ReceivePacketInformation;

        // One byte over the maximum, so an oversize datagram shows as a full buffer on systems that silently truncate.
        _buffer = GC.AllocateUninitializedArray<byte>(options.MaxDatagramSize + 1, pinned: true);
        _receivedAddress = new SocketAddress(socket.AddressFamily);
        _lastRemoteAddress = new byte[_receivedAddress.Size];
        _lastRawRemote = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        _lastArrival = LocalEndPoint;
    }

    /// <summary>The socket.</summary>
    public Socket Socket { get; }

    /// <summary>The bound address and actual port.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The bound address, IPv4-mapped addresses unmapped.</summary>
    public IPAddress Address { get; }

    /// <summary>Whether the socket is bound to a wildcard address (the OS chooses the source address of what it sends).</summary>
    public bool IsWildcard { get; }

    /// <summary>Whether the socket can send to IPv4 addresses.</summary>
    public bool CarriesIPv4 { get; }

    /// <summary>Whether the socket can send to IPv6 addresses.</summary>
    public bool CarriesIPv6 { get; }

    /// <summary>Starts the receive loop on the thread pool, without the caller's execution context.</summary>
    public void Start() =>
        ThreadPool.UnsafeQueueUserWorkItem(static binding => _ = binding.ReceiveLoopAsync(), this, preferLocal: false);

    /// <summary>Whether the socket can send to an address of the given kind.</summary>
    public bool Carries(bool ipv4) => ipv4 ? CarriesIPv4 : CarriesIPv6;

    private async Task ReceiveLoopAsync()
    {
        // Ends when the transport closes (disposal or fault), which closes the socket under the pending receive.
        while (!_owner.IsClosed)
        {
            int length;
            bool truncated;
            IPEndPoint remote;
            IPEndPoint local;
            try
            {
                if (_usePacketInformation)
                {
                    SocketReceiveMessageFromResult result = await Socket
                        .ReceiveMessageFromAsync(_buffer, SocketFlags.None, _lastRawRemote)
                        .ConfigureAwait(false);
                    length = result.ReceivedBytes;
                    truncated = (result.SocketFlags & SocketFlags.Truncated) != 0;
                    remote = RemoteFrom(result.RemoteEndPoint);
                    local = ArrivalFrom(result.PacketInformation.Address);
                }
                else
                {
                    length = await Socket.ReceiveFromAsync(_buffer, SocketFlags.None, _receivedAddress).ConfigureAwait(false);
                    truncated = false;
                    remote = RemoteFrom(_receivedAddress);
                    local = LocalEndPoint;
                }
            }
            catch (Exception) when (_owner.IsClosed)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.MessageSize)
            {
                _owner.Counters.Oversize();
                continue;
            }
            catch (SocketException e) when (IsTransient(e.SocketErrorCode))
            {
                _owner.Counters.ReceiveFailed();
                continue;
            }
#pragma warning disable CA1031 // Any other failure ends the loop and is reported once through OnError.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _owner.Fault(e);
                return;
            }

            if (truncated || length > _maxDatagramSize)
            {
                _owner.Counters.Oversize();
                continue;
            }

            if (!_owner.Deliver(new Datagram(new ReadOnlyMemory<byte>(_buffer, 0, length), remote, local)))
            {
                return;
            }
        }
    }

    /// <summary>Errors an unconnected UDP socket reports for one datagram (mostly ICMP), after which it still works.</summary>
    private static bool IsTransient(SocketError error) => error is
        SocketError.ConnectionReset or
        SocketError.ConnectionRefused or
        SocketError.NetworkReset or
        SocketError.HostUnreachable or
        SocketError.NetworkUnreachable or
        SocketError.HostDown or
        SocketError.NetworkDown or
        SocketError.TimedOut or
        SocketError.Interrupted or
        SocketError.WouldBlock or
        SocketError.NoBufferSpaceAvailable;

    private IPEndPoint RemoteFrom(EndPoint raw)
    {
        // By value: the runtime returns the given instance for an unchanged sender only on some paths (not dual-mode).
        if (_lastRemote is not null && (ReferenceEquals(raw, _lastRawRemote) || raw.Equals(_lastRawRemote)))
        {
            return _lastRemote;
        }

        _lastRawRemote = raw;
        _lastRemote = Unmap((IPEndPoint)raw);
        return _lastRemote;
    }

    private IPEndPoint RemoteFrom(SocketAddress address)
    {
        ReadOnlySpan<byte> bytes = address.Buffer.Span[..address.Size];
        if (_lastRemote is not null && bytes.SequenceEqual(_lastRemoteAddress.AsSpan(0, _lastRemoteAddressSize)))
        {
            return _lastRemote;
        }

        IPEndPoint remote = Unmap((IPEndPoint)LocalEndPoint.Create(address));
        bytes.CopyTo(_lastRemoteAddress);
        _lastRemoteAddressSize = bytes.Length;
        _lastRemote = remote;
        return remote;
    }

    private IPEndPoint ArrivalFrom(IPAddress? address)
    {
        if (address is null || address.Equals(_lastArrivalAddress))
        {
            return _lastArrival;
        }

        // The runtime may report one IPv4 arrival address mapped at first and unmapped later: compare unmapped.
        IPAddress unmapped = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        _lastArrivalAddress = address;
        if (unmapped.Equals(_lastArrival.Address))
        {
            return _lastArrival;
        }

        // A wildcard means the platform gave no packet information: the bound end point is the best answer.
        _lastArrival = UdpSocketFactory.IsWildcard(unmapped) ? LocalEndPoint : new IPEndPoint(unmapped, LocalEndPoint.Port);
        return _lastArrival;
    }

    private static IPEndPoint Unmap(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;
}
