using System.Net;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Holepunch.Reactive.Peers;
using Holepunch.Reactive.Rendezvous;
using Holepunch.Reactive.Transport;

namespace Holepunch.Reactive.Benchmarks.Load;

/// <summary>A rendezvous server on 127.0.0.1 and two clients connected through it: the host "room" and "joiner".</summary>
internal sealed class HolepunchPair : IAsyncDisposable
{
    private HolepunchPair(UdpDatagramTransport serverTransport, RendezvousServer server, HolepunchClient host, HolepunchClient joiner)
    {
        ServerTransport = serverTransport;
        Server = server;
        Host = host;
        Joiner = joiner;
    }

    public UdpDatagramTransport ServerTransport { get; }

    public RendezvousServer Server { get; }

    public HolepunchClient Host { get; }

    public HolepunchClient Joiner { get; }

    /// <summary>A server whose rate limits and per-address caps do not get in the way of a benchmark that sends everything from 127.0.0.1.</summary>
    public static (UdpDatagramTransport Transport, RendezvousServer Server) StartServer(int maxRegistrations = 10_000)
    {
        var transport = UdpDatagramTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var server = new RendezvousServer(transport, new RendezvousServerOptions
        {
            SourceTokenLimit = int.MaxValue,
            SourceTokensPerPeriod = int.MaxValue,
            MaxRegistrations = maxRegistrations,
            MaxRegistrationsPerAddress = maxRegistrations,
            GlobalTokenLimit = int.MaxValue,
            GlobalTokensPerPeriod = int.MaxValue,

            // A join answers both peers; from one load socket both introductions go to the address that sent the join,
            // which the default 3x anti-amplification limit would cut short.
            AmplificationFactor = 10,
        });
        server.Start();
        return (transport, server);
    }

    /// <summary>
    /// Client options on 127.0.0.1; <paramref name="secure"/> false turns sealed peer sessions off, <paramref name="batch"/>
    /// false peer batches (one message a datagram, as with a Godot peer). The defaults seal and batch.
    /// </summary>
    public static HolepunchClientOptions ClientOptions(IPEndPoint rendezvous, bool ordered = false, bool secure = true, bool batch = true) => new()
    {
        RendezvousEndPoint = rendezvous,
        LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
        OrderedReliableDelivery = ordered,
        SecurePeers = secure,
        BatchPeerMessages = batch,
    };

    public static async Task<HolepunchPair> ConnectAsync(bool ordered, bool secure = true, bool batch = true)
    {
        var (transport, server) = StartServer();
        var options = ClientOptions(transport.LocalEndPoint, ordered, secure, batch);
        var host = await HolepunchClient.HostAsync("room", options).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        var hostConfirmed = host.PeerConfirmations.FirstAsync().ToTask();
        var joiner = await HolepunchClient.JoinAsync("joiner", "room", options).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        await hostConfirmed.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        return new HolepunchPair(transport, server, host, joiner);
    }

    public async ValueTask DisposeAsync()
    {
        await Joiner.DisposeAsync().ConfigureAwait(false);
        await Host.DisposeAsync().ConfigureAwait(false);
        Server.Dispose();
        ServerTransport.Dispose();
    }
}
