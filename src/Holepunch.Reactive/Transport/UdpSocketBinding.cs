using System.Net;
using System.Net.Sockets;

namespace Holepunch.Reactive.Transport;

/// <summary>
/// One bound socket of a <see cref="UdpDatagramTransport"/> and its receive loop: one <see cref="SocketAsyncEventArgs"/>
/// and one pinned buffer reused for every datagram, emitted synchronously, with the last remote and arrival end
/// points cached so a steady peer costs no allocation beyond what the socket API forces (the packet information
/// address, on wildcard sockets only).
/// </summary>
internal sealed class UdpSocketBinding : IDisposable
{
    private readonly UdpDatagramTransport _owner;
    private readonly ReceiveArgs _args;
    private readonly byte[] _buffer;
    private readonly int _maxDatagramSize;
    private readonly bool _usePacketInformation;

    // The runtime keeps the RemoteEndPoint instance it holds while the sender is unchanged; these map it to ours.
    private EndPoint? _lastRawRemote;
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
        _args = new ReceiveArgs(this);
        _args.SetBuffer(_buffer, 0, _buffer.Length);
        _args.RemoteEndPoint = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
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

    /// <summary>Whether the socket can send to an address of the given kind.</summary>
    public bool Carries(bool ipv4) => ipv4 ? CarriesIPv4 : CarriesIPv6;

    /// <summary>Closes the socket; the pending receive then completes, and the loop ends and releases its arguments.</summary>
    public void Dispose() => Socket.Dispose();

    /// <summary>Starts the receive loop on the thread pool, without the caller's execution context.</summary>
    public void Start() =>
        ThreadPool.UnsafeQueueUserWorkItem(static binding => binding.ReceiveLoop(), this, preferLocal: false);

    /// <summary>Receives while operations complete synchronously; returns when one is pending (its completion resumes the loop) or the loop ends.</summary>
    private void ReceiveLoop()
    {
        // Bounded by the transport's life: closing it closes the socket, which completes the pending receive.
        while (!_owner.IsClosed)
        {
            bool pending;
            try
            {
                pending = _usePacketInformation ? Socket.ReceiveMessageFromAsync(_args) : Socket.ReceiveFromAsync(_args);
            }
            catch (ObjectDisposedException) when (_owner.IsClosed)
            {
                break;
            }
#pragma warning disable CA1031 // Any other failure to start a receive ends the loop and is reported once through OnError.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _owner.Fault(e);
                break;
            }

            if (pending)
            {
                return;
            }

            if (!ProcessReceive())
            {
                break;
            }
        }

        _args.Dispose();
    }

    private void OnReceiveCompleted()
    {
        if (ProcessReceive())
        {
            ReceiveLoop();
        }
        else
        {
            _args.Dispose();
        }
    }

    /// <summary>Handles one completed receive; <see langword="false"/> ends the loop.</summary>
    private bool ProcessReceive()
    {
        SocketError error = _args.SocketError;
        if (_owner.IsClosed)
        {
            return false;
        }

        if (error == SocketError.MessageSize || (error == SocketError.Success && IsOversize()))
        {
            _owner.Counters.Oversize();
            return true;
        }

        if (error != SocketError.Success)
        {
            if (IsTransient(error))
            {
                _owner.Counters.ReceiveFailed();
                return true;
            }

            _owner.Fault(new SocketException((int)error));
            return false;
        }

        int length = _args.BytesTransferred;
        IPEndPoint remote = RemoteFrom(_args.RemoteEndPoint!);
        IPEndPoint local = _usePacketInformation ? ArrivalFrom(_args.ReceiveMessageFromPacketInfo.Address) : LocalEndPoint;
        return _owner.Deliver(new Datagram(new ReadOnlyMemory<byte>(_buffer, 0, length), remote, local));
    }

    private bool IsOversize() =>
        _args.BytesTransferred > _maxDatagramSize || (_args.SocketFlags & SocketFlags.Truncated) != 0;

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
        if (_lastRemote is not null && (ReferenceEquals(raw, _lastRawRemote) || raw.Equals(_lastRawRemote)))
        {
            return _lastRemote;
        }

        var endPoint = (IPEndPoint)raw;
        _lastRawRemote = raw;
        _lastRemote = endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;
        return _lastRemote;
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

    /// <summary>The binding's receive operation; its completion callback resumes the loop without capturing an execution context.</summary>
    private sealed class ReceiveArgs(UdpSocketBinding binding) : SocketAsyncEventArgs(unsafeSuppressExecutionContextFlow: true)
    {
        protected override void OnCompleted(SocketAsyncEventArgs e) => binding.OnReceiveCompleted();
    }
}
