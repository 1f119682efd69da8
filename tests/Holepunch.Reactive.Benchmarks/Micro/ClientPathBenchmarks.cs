using System.Net;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Holepunch.Reactive.Peers;
using Holepunch.Reactive.Rendezvous;
using Holepunch.Reactive.Testing;
using Holepunch.Reactive.Testing.Network;

namespace Holepunch.Reactive.Benchmarks.Micro;

/// <summary>
/// The clients' own work per message, without sockets or threads: a host and a joiner connected through a
/// <see cref="RendezvousServer"/> on a <see cref="VirtualNetwork"/> (no latency), everything on one
/// <see cref="TestScheduler"/>. One operation is one 64-byte message sent by the joiner and handled by the host (and,
/// for a reliable one, its acknowledgement handled by the joiner); the virtual network's own cost is included.
/// </summary>
[MemoryDiagnoser]
public class ClientPathBenchmarks : IDisposable
{
    private const int Batch = 100;
    private readonly TestScheduler _scheduler = new();
    private VirtualNetwork _network = null!;
    private RendezvousServer _server = null!;
    private HolepunchClient _host = null!;
    private HolepunchClient _joiner = null!;
    private JsonElement _message;
    private long _received;
    private IDisposable? _subscription;

    /// <summary>Whether both clients batch (the default) or send one message a datagram (as to a Godot peer).</summary>
    [Params(true, false)]
    public bool Batches { get; set; }

    /// <summary>Connects the two clients.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _network = new VirtualNetwork(_scheduler, seed: 1);
        var serverTransport = _network.AddHost(IPAddress.Parse("203.0.113.1")).Bind(5160);
        _server = new RendezvousServer(serverTransport, new RendezvousServerOptions { Scheduler = _scheduler });
        _server.Start();
        HolepunchClientOptions Options(string address) => new()
        {
            RendezvousEndPoint = serverTransport.LocalEndPoint,
            Transport = _network.AddHost(IPAddress.Parse(address)).Bind(4000),
            Scheduler = _scheduler,
            OrderedReliableDelivery = true,
            PeerCheckInterval = TimeSpan.FromDays(1),
            BatchPeerMessages = Batches,
        };

        _host = new HolepunchClient(Options("203.0.113.10"));
        _joiner = new HolepunchClient(Options("203.0.113.20"));
        var hosting = _host.HostAsync("room");
        _scheduler.AdvanceBy(TimeSpan.FromMilliseconds(10));
        var joining = _joiner.JoinAsync("joiner", "room");
        _scheduler.AdvanceBy(TimeSpan.FromMilliseconds(10));
        if (!hosting.IsCompletedSuccessfully || !joining.IsCompletedSuccessfully)
        {
            throw new InvalidOperationException("The clients did not connect on the virtual network.");
        }

        using var document = JsonDocument.Parse("\"" + new string('x', 62) + "\"");
        _message = document.RootElement.Clone();
        _subscription = _host.UnreliableMessages.Subscribe(_ => _received++);
    }

    /// <summary>Closes everything.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _subscription?.Dispose();
        _joiner?.Dispose();
        _host?.Dispose();
        _server?.Dispose();
        _scheduler.AdvanceBy(1);
        _network?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>An unreliable message, joiner to host.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public long Unreliable()
    {
        for (var i = 0; i < Batch; i++)
        {
            _joiner.SendUnreliable("room", _message);
        }

        _scheduler.AdvanceBy(TimeSpan.FromMilliseconds(1));
        return _received;
    }

    /// <summary>A reliable message, joiner to host, until acknowledged.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int Reliable()
    {
        var completed = 0;
        for (var i = 0; i < Batch; i++)
        {
            var task = _joiner.SendReliableAsync("room", _message);
            _scheduler.AdvanceBy(TimeSpan.FromTicks(4));
            completed += task.IsCompletedSuccessfully ? 1 : 0;
        }

        _scheduler.AdvanceBy(TimeSpan.FromMilliseconds(1));
        return completed;
    }
}
