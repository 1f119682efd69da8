using System.Net;
using Holepunch.Reactive.Peers;
using Holepunch.Reactive.Resilience;
using Holepunch.Reactive.Testing;
using Holepunch.Reactive.Testing.Network;
using Holepunch.Reactive.Transport;

namespace Holepunch.Reactive.Tests.Peers;

/// <summary>
/// A small virtual internet for client tests: a rendezvous server on a public address, and helpers to put hosts
/// behind NATs and start clients on them. Everything runs on one <see cref="TestScheduler"/>.
/// </summary>
internal sealed class ClientWorld : IDisposable
{
    public static readonly IPAddress ServerAddress = IPAddress.Parse("203.0.113.1");
    private readonly List<IDisposable> _owned = [];
    private int _nextNat = 1;

    /// <summary>The Godot client's join, as it sends it (PROTOCOL.md): "godot" at 192.168.2.20:4000 asks for "room".</summary>
    public const string GodotJoin =
        "{\"type\":\"requesting-to-join-server\",\"local-address\":[\"192.168.2.20\",4000.0],\"server-name\":\"room\",\"sender\":\"godot\",\"intended-recipient\":\"\"}";

    /// <summary>A world with our host "room" and a Godot peer "godot" that has joined it (introduced, probes under way).</summary>
    public static (ClientWorld World, HolepunchClient Host, GodotPeer Godot, IPEndPoint HostGlobal, IPEndPoint GodotGlobal) HostWithGodotJoiner()
    {
        var world = new ClientWorld();
        var hostNat = world.AddNat(NatOptions.FullCone);
        var godotNat = world.AddNat(NatOptions.FullCone);
        var host = world.Client(world.Bind(hostNat, "192.168.1.10"));
        var godot = world.Own(new GodotPeer(world.Bind(godotNat, "192.168.2.20")));
        _ = host.HostAsync("room");
        world.Run(TimeSpan.FromSeconds(1));
        godot.Send(GodotJoin, world.Server.EndPoint);
        world.Run(TimeSpan.FromMilliseconds(200)); // introduction, then the LAN probe and 50 ms later the global one
        return (world, host, godot, new IPEndPoint(hostNat.PublicAddress, 4000), new IPEndPoint(godotNat.PublicAddress, 4000));
    }

    public ClientWorld(LinkOptions? link = null, int seed = 1)
    {
        Network = new VirtualNetwork(Scheduler, seed, link ?? new LinkOptions { Latency = TimeSpan.FromMilliseconds(10) });
        Server = new MiniRendezvous(Network.AddHost(ServerAddress).Bind(5160), () => Scheduler.Clock);
    }

    public TestScheduler Scheduler { get; } = new();

    public VirtualNetwork Network { get; }

    public MiniRendezvous Server { get; }

    public TimeSpan Now => TimeSpan.FromTicks(Scheduler.Clock);

    public VirtualNat AddNat(NatOptions options) =>
        Network.AddNat(IPAddress.Parse($"198.51.100.{_nextNat++}"), options);

    public List<VirtualHost> ClientHosts { get; } = [];

    public IDatagramTransport Bind(VirtualNat nat, string privateAddress, int port = 4000)
    {
        var host = nat.AddHost(IPAddress.Parse(privateAddress));
        ClientHosts.Add(host);
        return Own(host.Bind(port));
    }

    /// <summary>Changes the access link of every client host (not the server's) from now on.</summary>
    public void SetClientLinks(LinkOptions link) => ClientHosts.ForEach(h => h.Link = link);

    public HolepunchClientOptions Options(IDatagramTransport transport, RequestRetryOptions? peerRetry = null) => new()
    {
        RendezvousEndPoint = Server.EndPoint,
        Transport = transport,
        Scheduler = Scheduler,
        PeerRetry = peerRetry ?? RequestRetryOptions.Default,
        ReliableRetry = peerRetry ?? RequestRetryOptions.Default,
    };

    public HolepunchClient Client(IDatagramTransport transport, RequestRetryOptions? peerRetry = null) =>
        Own(new HolepunchClient(Options(transport, peerRetry)));

    public HolepunchClient Client(HolepunchClientOptions options) => Own(new HolepunchClient(options));

    /// <summary>Starts a host and a joiner on the given sockets and runs until both are connected (or failed).</summary>
    public (HolepunchClient Host, HolepunchClient Joiner, Task Hosting, Task Joining) Connect(
        IDatagramTransport hostSocket, IDatagramTransport joinerSocket, RequestRetryOptions? peerRetry = null)
    {
        var host = Client(hostSocket, peerRetry);
        var joiner = Client(joinerSocket, peerRetry);
        var hosting = host.HostAsync("room");
        Run(TimeSpan.FromSeconds(1));
        var joining = joiner.JoinAsync("joiner", "room");
        Run(TimeSpan.FromSeconds(10));
        return (host, joiner, hosting, joining);
    }

    public void Run(TimeSpan time) => Scheduler.AdvanceBy(time);

    public T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    public void Dispose()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            owned.Dispose();
        }

        Server.Dispose();
        Network.Dispose();
    }
}
