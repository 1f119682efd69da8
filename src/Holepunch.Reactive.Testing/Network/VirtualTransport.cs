using System.Net;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Holepunch.Reactive.Transport;

namespace Holepunch.Reactive.Testing.Network;

/// <summary>A port bound on a <see cref="VirtualHost"/>: an <see cref="IDatagramTransport"/> over the virtual network.</summary>
internal sealed class VirtualTransport : IDatagramTransport
{
    private readonly Subject<Datagram> _received = new();

    public VirtualTransport(VirtualHost host, IPAddress? boundAddress, int port)
    {
        Host = host;
        BoundAddress = boundAddress;
        LocalEndPoint = new IPEndPoint(boundAddress ?? host.Address, port);
        Received = _received.AsObservable();
    }

    public VirtualHost Host { get; }

    /// <summary>Gets the one address this transport is bound to, or <see langword="null"/> when bound to all of the host's addresses.</summary>
    public IPAddress? BoundAddress { get; }

    public bool IsDisposed { get; private set; }

    /// <inheritdoc/>
    /// <remarks>When bound to all of the host's addresses, this reports the host's first address.</remarks>
    public IPEndPoint LocalEndPoint { get; }

    /// <inheritdoc/>
    public IObservable<Datagram> Received { get; }

    /// <inheritdoc/>
    public bool Send(ReadOnlySpan<byte> payload, IPEndPoint remoteEndPoint, IPAddress? localAddress = null)
    {
        ArgumentNullException.ThrowIfNull(remoteEndPoint);
        return Host.Fabric.Send(this, payload, remoteEndPoint, localAddress);
    }

    /// <summary>Completes <see cref="Received"/> and frees the port; in-flight datagrams to it become <see cref="DatagramOutcome.NoListener"/>.</summary>
    public void Dispose()
    {
        lock (Host.Fabric.Gate)
        {
            if (IsDisposed)
            {
                return;
            }

            IsDisposed = true;
            Host.Unbind(this);
            _received.OnCompleted();
        }
    }

    /// <summary>Emits one datagram; called on the scheduler, under the network's gate.</summary>
    public void Deliver(Datagram datagram) => _received.OnNext(datagram);
}
