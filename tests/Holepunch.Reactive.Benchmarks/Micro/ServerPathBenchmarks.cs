using System.Net;
using BenchmarkDotNet.Attributes;
using Holepunch.Reactive.Benchmarks.Load;
using Holepunch.Reactive.Protocol;
using Holepunch.Reactive.Rendezvous;
using Holepunch.Reactive.Transport;

namespace Holepunch.Reactive.Benchmarks.Micro;

/// <summary>
/// The rendezvous server's own work per request, without sockets or threads: datagrams injected into an in-memory
/// transport and handled inline (admission, decoding, the registry or linker, encoding and sending the replies). One
/// operation is one request: a refresh of a registered room, or a join of it (two introductions sent).
/// </summary>
[MemoryDiagnoser]
public class ServerPathBenchmarks : IDisposable
{
    private MemoryTransport _transport = null!;
    private RendezvousServer _server = null!;
    private Datagram _register;
    private Datagram _join;

    /// <summary>Starts the server and registers the room.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _transport = new MemoryTransport();
        _server = new RendezvousServer(_transport, new RendezvousServerOptions
        {
            Scheduler = new InlineScheduler(),
            SourceTokenLimit = int.MaxValue,
            SourceTokensPerPeriod = int.MaxValue,
            GlobalTokenLimit = int.MaxValue,
            GlobalTokensPerPeriod = int.MaxValue,
            AmplificationFactor = 10,
        });
        _server.Start();
        var local = new IPEndPoint(IPAddress.Parse("192.168.1.10"), 4000);
        var arrival = _transport.LocalEndPoint;
        _register = new Datagram(MessageCodec.EncodeToArray(new RegisteringServer("room-0001", local, 60)), new IPEndPoint(IPAddress.Parse("203.0.113.10"), 4000), arrival);
        _join = new Datagram(MessageCodec.EncodeToArray(new RequestingToJoinServer("joiner-0001", local, "room-0001")), new IPEndPoint(IPAddress.Parse("203.0.113.20"), 4000), arrival);
        _transport.Inject(_register);
        _transport.Inject(_join);
        if (_server.Registrations.Count != 1 || _transport.Sent != 3)
        {
            throw new InvalidOperationException("The requests were not answered inline.");
        }
    }

    /// <summary>A refresh: decoded, registered again, confirmed.</summary>
    [Benchmark]
    public void Refresh() => _transport.Inject(_register);

    /// <summary>A join: decoded, looked up, both sides introduced.</summary>
    [Benchmark]
    public void Join() => _transport.Inject(_join);

    /// <summary>Stops the server.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _server?.Dispose();
        _transport?.Dispose();
        GC.SuppressFinalize(this);
    }
}
