using System.Net;
using Holepunch.Reactive.Rendezvous;
using Holepunch.Reactive.Transport;

namespace Holepunch.Reactive.IntegrationTests.Rendezvous;

/// <summary>A <see cref="RendezvousServer"/> on a real UDP socket (127.0.0.1 and an ephemeral port unless told otherwise).</summary>
internal sealed class LoopbackRendezvousServer : IDisposable
{
    private readonly UdpDatagramTransport _transport;

    public LoopbackRendezvousServer(UdpTransportOptions? options = null)
    {
        _transport = UdpDatagramTransport.Bind(options ?? new UdpTransportOptions { BindEndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
        Server = new RendezvousServer(_transport);
        Server.Start();
    }

    public RendezvousServer Server { get; }

    /// <summary>The server's port.</summary>
    public int Port => _transport.LocalEndPoint.Port;

    /// <summary>Where clients send to: 127.0.0.1 and the server's port.</summary>
    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    public void Dispose()
    {
        Server.Dispose();
        // Bounded: the server releases its state on its own loop before the socket goes.
        Server.Completion.Wait(TimeSpan.FromSeconds(5));
        _transport.Dispose();
    }
}
