using System.Net;
using System.Net.Sockets;
using Holepunch.Reactive.Transport.Linux;

namespace Holepunch.Reactive.Transport;

/// <summary>
/// One bound socket of a <see cref="UdpDatagramTransport"/> and its receive loop: a dedicated thread doing blocking
/// receives into one pinned buffer reused for every datagram, emitted synchronously, with the last remote and arrival
/// end points cached so a steady peer costs no allocation beyond what the socket API forces (the packet information
/// address, on wildcard sockets only).
/// </summary>
/// <remarks>
/// <para>
/// A blocking receive on a thread of its own, rather than <see cref="SocketAsyncEventArgs"/>: on Linux an asynchronous
/// receive that has to wait completes on the sockets' epoll thread, which hands it to a thread-pool worker, two thread
/// wake-ups per idle-to-busy datagram instead of one. That hop dominated the round trip on loopback.
/// </para>
/// <para>
/// On Linux (unless <see cref="UdpTransportOptions.BatchedReceive"/> is off) the thread runs a
/// <see cref="BatchedReceiveLoop"/> instead of the managed loop below: one system call for a batch of datagrams.
/// </para>
/// </remarks>
internal sealed class UdpSocketBinding : IDisposable
{
    private readonly UdpDatagramTransport _owner;
    private readonly byte[] _buffer;
    private readonly int _maxDatagramSize;
    private readonly bool _usePacketInformation;
    private readonly SocketAddress _received;
    private readonly SocketAddress _lastReceived;
    private readonly IPEndPoint _template;
    private readonly BatchedReceiveLoop? _batched;
    private readonly TimeSpan _receivePoll;
    private readonly Action? _threadStarting;
    private Thread? _thread;

    // Handed to ReceiveMessageFrom, which replaces it only when the sender changes.
    private EndPoint _anyRemote;

    // The remote end point of the last datagram, and its arrival end point (packet information): a steady peer reuses them.
    private bool _hasLastRemote;
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

        if (options.BatchedReceive && BatchedReceiveLoop.IsSupported)
        {
            _batched = new BatchedReceiveLoop(this, owner, _maxDatagramSize, _usePacketInformation, options.SlotPool);
        }

        // One byte over the maximum, so an oversize datagram shows as a full buffer on systems that silently truncate.
        // The batched loop has buffers of its own.
        _buffer = _batched is null ? GC.AllocateUninitializedArray<byte>(options.MaxDatagramSize + 1, pinned: true) : [];
        _template = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        _anyRemote = _template;
        _received = new SocketAddress(socket.AddressFamily);
        _lastReceived = new SocketAddress(socket.AddressFamily);
        _lastArrival = LocalEndPoint;
        _receivePoll = options.ReceivePoll;
        _threadStarting = options.ReceiveThreadStarting;
    }

    /// <summary>Whether the socket is read by the batched loop (and replies on its thread are batched).</summary>
    public bool IsBatched => _batched is not null;

    /// <summary>How many datagrams one receive call can take now (the batched loop's slots grow under load; else 1).</summary>
    internal int ReceiveSlots => _batched?.Slots ?? 1;

    /// <summary>Whether the receive loop has started and not yet ended.</summary>
    public bool IsReceiving => _thread?.IsAlive == true;

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

    /// <summary>Closes the socket; the blocked receive then fails and the loop ends.</summary>
    public void Dispose() => Socket.Dispose();

    /// <summary>
    /// Runs <see cref="UdpTransportOptions.ReceiveThreadStarting"/>: a hook that throws must not keep the loop from
    /// starting (nor, on a thread of its own, end the process).
    /// </summary>
    private void RunStartingHook()
    {
        try
        {
            _threadStarting?.Invoke();
        }
#pragma warning disable CA1031 // Only a warm-up: whatever it throws, receiving goes on.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>Starts the receive loop on a background thread of its own, without the caller's execution context.</summary>
    public void Start()
    {
        Socket.ReceiveTimeout = (int)_receivePoll.TotalMilliseconds;
        if (_batched is not null && _usePacketInformation)
        {
            BatchedReceiveLoop.EnablePacketInformation(Socket);
        }

        var thread = new Thread(static state =>
        {
            var binding = (UdpSocketBinding)state!;
            binding.RunStartingHook();
            if (binding._batched is { } batched)
            {
                batched.Run();
            }
            else
            {
                binding.ReceiveLoop();
            }
        })
        {
            IsBackground = true,
            Name = "holepunch-udp-receive",
        };
        _thread = thread;
        thread.UnsafeStart(this);
    }

    private void ReceiveLoop()
    {
        // Bounded by the transport's life: closing it closes the socket, which ends the blocked receive (or the poll does).
        while (!_owner.IsClosed)
        {
            int length;
            SocketFlags flags = SocketFlags.None;
            IPAddress? arrival = null;
            try
            {
                _owner.Counters.ReceiveCall();
                if (_usePacketInformation)
                {
                    length = Socket.ReceiveMessageFrom(_buffer, ref flags, ref _anyRemote, out IPPacketInformation information);
                    arrival = information.Address;
                }
                else
                {
                    length = Socket.ReceiveFrom(_buffer, SocketFlags.None, _received);
                }
            }
            catch (SocketException e) when (!_owner.IsClosed && IsOversize(e.SocketErrorCode))
            {
                _owner.Counters.Oversize();
                continue;
            }
            catch (SocketException e) when (!_owner.IsClosed && e.SocketErrorCode == SocketError.TimedOut)
            {
                continue;
            }
            catch (SocketException e) when (!_owner.IsClosed && IsTransient(e.SocketErrorCode))
            {
                _owner.Counters.ReceiveFailed();
                continue;
            }
            catch (Exception e) when (_owner.IsClosed && e is SocketException or ObjectDisposedException)
            {
                break;
            }
#pragma warning disable CA1031 // Any other failure ends the loop and is reported once through OnError.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _owner.Fault(e);
                break;
            }

            if (length > _maxDatagramSize || (flags & SocketFlags.Truncated) != 0)
            {
                _owner.Counters.Oversize();
                continue;
            }

            IPEndPoint remote = _usePacketInformation ? RemoteFrom(_anyRemote) : RemoteFromAddress();
            IPEndPoint local = _usePacketInformation ? ArrivalFrom(arrival) : LocalEndPoint;
            if (!_owner.Deliver(new Datagram(new ReadOnlyMemory<byte>(_buffer, 0, length), remote, local)))
            {
                break;
            }
        }
    }

    private static bool IsOversize(SocketError error) => error == SocketError.MessageSize;

    /// <summary>Errors an unconnected UDP socket reports for one datagram (mostly ICMP), after which it still works.</summary>
    internal static bool IsTransient(SocketError error) => error is
        SocketError.ConnectionReset or
        SocketError.ConnectionRefused or
        SocketError.NetworkReset or
        SocketError.HostUnreachable or
        SocketError.NetworkUnreachable or
        SocketError.HostDown or
        SocketError.NetworkDown or
        SocketError.Interrupted or
        SocketError.WouldBlock or
        SocketError.NoBufferSpaceAvailable;

    /// <summary>The sender of the last <see cref="Socket.ReceiveFrom(Span{byte}, SocketFlags, SocketAddress)"/>, reused while it does not change.</summary>
    private IPEndPoint RemoteFromAddress()
    {
        if (_hasLastRemote && _received.Equals(_lastReceived))
        {
            return _lastRemote!;
        }

        var endPoint = (IPEndPoint)_template.Create(_received);
        _received.Buffer.Span.CopyTo(_lastReceived.Buffer.Span);
        _lastReceived.Size = _received.Size;
        _hasLastRemote = true;
        _lastRemote = endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;
        return _lastRemote;
    }

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
}
