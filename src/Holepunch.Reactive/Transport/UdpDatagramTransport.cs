using System.Net;
using System.Net.Sockets;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Holepunch.Reactive.Transport.Linux;

namespace Holepunch.Reactive.Transport;

/// <summary>
/// An <see cref="IDatagramTransport"/> over <see cref="System.Net.Sockets.Socket"/>: IPv4, IPv6 or dual-mode, with the
/// arrival address of every datagram and sending from a chosen local address (see <see cref="UdpTransportOptions"/>).
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>Event</term><description>Behaviour of <see cref="Received"/></description></listheader>
/// <item><term>OnNext</term><description>
/// One datagram, emitted synchronously from a receive loop; its payload buffer is reused once <c>OnNext</c> returns.
/// Emissions are serialised across the transport's sockets. Remote addresses are IPv4-mapped addresses unmapped.
/// </description></item>
/// <item><term>OnError</term><description>
/// Once, for a socket failure the loop cannot survive or an exception thrown by an observer's <c>OnNext</c>; the
/// transport is closed with it. Transient errors (ICMP resets and refusals, oversize datagrams) are counted in
/// <see cref="Statistics"/> instead.
/// </description></item>
/// <item><term>OnCompleted</term><description>On <see cref="Dispose"/>, after any <c>OnNext</c> in progress has returned; nothing follows it.</description></item>
/// </list>
/// </remarks>
public sealed class UdpDatagramTransport : IDatagramTransport
{
    /// <summary>The most addresses bound on demand (see <see cref="UdpTransportOptions.BindAllLocalAddresses"/>), and the most remembered as unbindable.</summary>
    internal const int MaxOnDemandAddresses = 64;

    private readonly object _gate = new();
    private readonly object _bindGate = new();
    private readonly Subject<Datagram> _received = new();
    private readonly UdpSocketBinding? _defaultIPv4;
    private readonly UdpSocketBinding? _defaultIPv6;
    private readonly SocketAddressCache _targets = new();
    private readonly int _maxDatagramSize;
    private readonly UdpTransportOptions _options;
    private readonly bool _bindOnDemand;
    private readonly List<IPAddress> _unbindable = [];
    private volatile UdpSocketBinding[] _bindings;
    private volatile IPEndPoint[] _localEndPoints;
    private int _boundOnDemand;
    private volatile bool _closed;
    private bool _disposed;
    private bool _terminated;
    private int _deliveringThread;
    private bool _completeAfterDelivery;

    private UdpDatagramTransport(List<Socket> sockets, UdpTransportOptions options)
    {
        _maxDatagramSize = options.MaxDatagramSize;
        _options = options;
        var bindings = new UdpSocketBinding[sockets.Count];
        var endPoints = new IPEndPoint[sockets.Count];
        for (int i = 0; i < sockets.Count; i++)
        {
            bindings[i] = new UdpSocketBinding(this, sockets[i], options);
            endPoints[i] = bindings[i].LocalEndPoint;
        }

        _bindings = bindings;
        _localEndPoints = endPoints;
        LocalEndPoint = endPoints[0];
        _bindOnDemand = options.BindAllLocalAddresses && bindings[0].IsWildcard;
        Received = _received.AsObservable();
        _defaultIPv4 = DefaultBinding(ipv4: true);
        _defaultIPv6 = DefaultBinding(ipv4: false);
    }

    /// <inheritdoc/>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>
    /// Every bound end point: <see cref="LocalEndPoint"/> first, then one per additional local address (including
    /// those bound on demand, see <see cref="UdpTransportOptions.BindAllLocalAddresses"/>).
    /// </summary>
    public IReadOnlyList<IPEndPoint> LocalEndPoints => _localEndPoints;

    /// <inheritdoc/>
    public IObservable<Datagram> Received { get; }

    /// <summary>A snapshot of the counters since the transport was bound.</summary>
    public UdpTransportStatistics Statistics => Counters.Snapshot();

    internal UdpTransportCounters Counters { get; } = new();

    internal bool IsClosed => _closed;

    internal IReadOnlyList<UdpSocketBinding> Bindings => _bindings;

    /// <summary>Binds a transport to one end point with default options.</summary>
    /// <param name="localEndPoint">The address and port; port 0 lets the operating system choose. An IPv6 wildcard is dual-mode.</param>
    /// <returns>The bound transport, already receiving.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="localEndPoint"/> is <see langword="null"/>.</exception>
    /// <exception cref="SocketException">The end point could not be bound.</exception>
    public static UdpDatagramTransport Bind(IPEndPoint localEndPoint)
    {
        ArgumentNullException.ThrowIfNull(localEndPoint);
        return Bind(new UdpTransportOptions { BindEndPoint = localEndPoint });
    }

    /// <summary>Binds a transport as the options describe.</summary>
    /// <param name="options">The settings; validated here.</param>
    /// <returns>The bound transport, already receiving.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid (the message lists every problem).</exception>
    /// <exception cref="SocketException">The bind end point or an additional bind address could not be bound.</exception>
    public static UdpDatagramTransport Bind(UdpTransportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        List<Socket> sockets = UdpSocketFactory.BindAll(options);
        UdpDatagramTransport transport;
        try
        {
            transport = new UdpDatagramTransport(sockets, options);
        }
        catch
        {
            foreach (Socket socket in sockets)
            {
                socket.Dispose();
            }

            throw;
        }

        foreach (UdpSocketBinding binding in transport._bindings)
        {
            binding.Start();
        }

        return transport;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Sends synchronously (<c>sendto</c> on a UDP socket only queues the datagram). With a
    /// <paramref name="localAddress"/> that one of the transport's sockets is bound to, the datagram leaves from
    /// that socket. A transport bound to a wildcard with <see cref="UdpTransportOptions.BindAllLocalAddresses"/> binds
    /// a local address it has no socket for the first time it is asked to send from it. Otherwise the datagram leaves
    /// from the default socket for the remote's address family and the fallback is counted in
    /// <see cref="UdpTransportStatistics.SourceAddressFallbacks"/>. Safe to call from any thread.
    /// <para>
    /// With <see cref="UdpTransportOptions.BatchedReceive"/> (Linux), a send made by an observer of
    /// <see cref="Received"/> on the receive thread, while it delivers a batch of datagrams, is copied and held until
    /// the batch's last datagram has been delivered, then leaves with the others in one system call: it returns
    /// <see langword="true"/> once held, and a failure to send it then is counted in
    /// <see cref="UdpTransportStatistics.SendFailures"/>. Sends from any other thread leave at once.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="remoteEndPoint"/> is <see langword="null"/>.</exception>
    public bool Send(ReadOnlySpan<byte> payload, IPEndPoint remoteEndPoint, IPAddress? localAddress = null)
    {
        ArgumentNullException.ThrowIfNull(remoteEndPoint);
        if (_closed || payload.Length > _maxDatagramSize)
        {
            Counters.SendFailed();
            return false;
        }

        UdpSocketBinding? binding = SelectBinding(remoteEndPoint.Address, localAddress);
        if (binding is null)
        {
            Counters.SendFailed();
            return false;
        }

        SocketAddress target = _targets.Get(remoteEndPoint, binding.Socket.AddressFamily);
        if (SendBatch.OpenOnThisThread(this) is { } batch)
        {
            batch.Add(binding, payload, target);
            return true;
        }

        try
        {
            Counters.SendCall();
            int sent = binding.Socket.SendTo(payload, SocketFlags.None, target);
            Counters.Sent(sent);
            return true;
        }
        catch (SocketException)
        {
            Counters.SendFailed();
            return false;
        }
        catch (ObjectDisposedException)
        {
            Counters.SendFailed();
            return false;
        }
    }

    /// <summary>Stops receiving, completes <see cref="Received"/> and closes the sockets. Idempotent.</summary>
    /// <remarks>Waits for an <c>OnNext</c> in progress on another thread to return, so nothing is emitted after this call.</remarks>
    public void Dispose()
    {
        try
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
                _closed = true;
                if (!_terminated)
                {
                    _terminated = true;

                    // Disposed by an observer of the datagram being emitted (on the receive thread, which holds the gate):
                    // the other observers still get that datagram, so the completion follows it rather than cutting in.
                    if (_deliveringThread == Environment.CurrentManagedThreadId)
                    {
                        _completeAfterDelivery = true;
                    }
                    else
                    {
                        _received.OnCompleted();
                    }
                }
            }
        }
        finally
        {
            CloseSockets();
        }
    }

    /// <summary>Emits one datagram unless the stream has ended; <see langword="false"/> tells the loop to stop.</summary>
    internal bool Deliver(Datagram datagram)
    {
        Exception? observerFailure = null;
        lock (_gate)
        {
            if (_terminated)
            {
                return false;
            }

            Counters.Received(datagram.Payload.Length);
            _deliveringThread = Environment.CurrentManagedThreadId;
            try
            {
                _received.OnNext(datagram);
            }
#pragma warning disable CA1031 // An observer's exception must not vanish in a background loop: it faults the stream.
            catch (Exception e)
#pragma warning restore CA1031
            {
                observerFailure = e;
            }
            finally
            {
                _deliveringThread = 0;
            }

            if (_completeAfterDelivery)
            {
                _completeAfterDelivery = false;
                _received.OnCompleted();
                return false;
            }
        }

        if (observerFailure is not null)
        {
            Fault(observerFailure);
            return false;
        }

        return true;
    }

    /// <summary>Ends the stream with <paramref name="error"/> (once) and closes the sockets.</summary>
    internal void Fault(Exception error)
    {
        try
        {
            lock (_gate)
            {
                _closed = true;
                if (_terminated)
                {
                    return;
                }

                _terminated = true;
                _received.OnError(error);
            }
        }
        finally
        {
            CloseSockets();
        }
    }

    private void CloseSockets()
    {
        // Closed by an observer on a receive thread: the replies it already sent in this batch still leave.
        SendBatch.OpenOnThisThread(this)?.Flush();

        // Under the bind gate, so that a socket bound on demand meanwhile is either closed here or sees _closed.
        lock (_bindGate)
        {
            foreach (UdpSocketBinding binding in _bindings)
            {
                binding.Dispose();
            }
        }
    }

    private UdpSocketBinding? SelectBinding(IPAddress remote, IPAddress? localAddress)
    {
        bool ipv4 = remote.AddressFamily == AddressFamily.InterNetwork || remote.IsIPv4MappedToIPv6;
        if (localAddress is not null && !UdpSocketFactory.IsWildcard(localAddress))
        {
            if (FindBinding(_bindings, localAddress, ipv4) is { } bound)
            {
                return bound;
            }

            if (_bindOnDemand && BindOnDemand(localAddress, ipv4) is { } added)
            {
                return added;
            }

            Counters.SourceAddressFellBack();
        }

        return ipv4 ? _defaultIPv4 : _defaultIPv6;
    }

    private static UdpSocketBinding? FindBinding(UdpSocketBinding[] bindings, IPAddress localAddress, bool ipv4)
    {
        foreach (UdpSocketBinding binding in bindings)
        {
            if (!binding.IsWildcard && binding.Carries(ipv4) && SameAddress(binding.Address, localAddress))
            {
                return binding;
            }
        }

        return null;
    }

    /// <summary>
    /// Binds <paramref name="localAddress"/> on the transport's port with a socket (and receive loop) of its own: an
    /// address a datagram arrived at through the wildcard socket, which enumeration missed (added after the transport
    /// was bound, or part of a local route such as 127.0.0.2 on Linux). Bounded by <see cref="MaxOnDemandAddresses"/>;
    /// an address that cannot be bound is remembered and not tried again.
    /// </summary>
    private UdpSocketBinding? BindOnDemand(IPAddress localAddress, bool ipv4)
    {
        IPAddress address = localAddress.IsIPv4MappedToIPv6 ? localAddress.MapToIPv4() : localAddress;
        if (ipv4 != (address.AddressFamily == AddressFamily.InterNetwork))
        {
            return null;
        }

        lock (_bindGate)
        {
            if (FindBinding(_bindings, address, ipv4) is { } raced)
            {
                return raced;
            }

            if (_closed || _boundOnDemand >= MaxOnDemandAddresses || _unbindable.Contains(address))
            {
                return null;
            }

            UdpSocketBinding[] bindings = _bindings;
            Socket socket;
            try
            {
                socket = UdpSocketFactory.BindOnDemand(bindings[0].Socket, address, _options);
            }
            catch (SocketException)
            {
                if (_unbindable.Count < MaxOnDemandAddresses)
                {
                    _unbindable.Add(address);
                }

                return null;
            }
            catch (ObjectDisposedException)
            {
                return null;
            }

            var binding = new UdpSocketBinding(this, socket, _options);
            _bindings = [.. bindings, binding];
            _localEndPoints = [.. _localEndPoints, binding.LocalEndPoint];
            _boundOnDemand++;
            binding.Start();
            return binding;
        }
    }

    private static bool SameAddress(IPAddress bound, IPAddress wanted) =>
        wanted.IsIPv4MappedToIPv6
            ? bound.AddressFamily == AddressFamily.InterNetwork && bound.Equals(wanted.MapToIPv4())
            : bound.Equals(wanted);

    /// <summary>The socket that sends when no local address is asked for: the first wildcard one that carries the family, else the first that does.</summary>
    private UdpSocketBinding? DefaultBinding(bool ipv4)
    {
        UdpSocketBinding? fallback = null;
        foreach (UdpSocketBinding binding in _bindings)
        {
            if (binding.Carries(ipv4))
            {
                if (binding.IsWildcard)
                {
                    return binding;
                }

                fallback ??= binding;
            }
        }

        return fallback;
    }
}
