using System.Net;
using System.Text;
using Holepunch.Reactive.Peers;
using Holepunch.Reactive.Rendezvous;
using Holepunch.Reactive.Testing;
using Holepunch.Reactive.Testing.Network;
using Holepunch.Reactive.Transport;

namespace Holepunch.Reactive.Tests.Rendezvous;

/// <summary>
/// A virtual internet with the real <see cref="RendezvousServer"/>, honest clients behind NATs, and an attacker host
/// that also owns a victim's address, so it can send datagrams with the victim as their source (spoofing). Every
/// datagram's bytes are tallied by source and destination address from the network's trace.
/// </summary>
internal sealed class HostileNetwork : IDisposable
{
    public static readonly IPAddress ServerAddress = IPAddress.Parse("203.0.113.1");
    public static readonly IPAddress AttackerAddress = IPAddress.Parse("203.0.113.99");
    public static readonly IPAddress VictimAddress = IPAddress.Parse("203.0.113.66");

    private readonly List<IDisposable> _owned = [];
    private readonly IDisposable _trace;
    private int _nextNat = 1;

    public HostileNetwork(Action<RendezvousServerOptions>? configure = null)
    {
        Network = new VirtualNetwork(Scheduler, seed: 7, new LinkOptions { Latency = TimeSpan.FromMilliseconds(10) });
        _trace = Network.Trace.Subscribe(Tally);
        var options = new RendezvousServerOptions { Scheduler = Scheduler };
        configure?.Invoke(options);
        ServerTransport = Network.AddHost(ServerAddress).Bind(5160);
        Server = new RendezvousServer(ServerTransport, options);
        Server.Start();
        Attacker = Network.AddHost(AttackerAddress).AddAddress(VictimAddress);
        FromAttacker = Own(Attacker.Bind(AttackerAddress, 6000));
        FromVictim = Own(Attacker.Bind(VictimAddress, 7000));
    }

    public TestScheduler Scheduler { get; } = new();

    public VirtualNetwork Network { get; }

    public IDatagramTransport ServerTransport { get; }

    public RendezvousServer Server { get; }

    public static IPEndPoint ServerEndPoint { get; } = new(ServerAddress, 5160);

    /// <summary>The attacker's machine: its own address, plus the victim's.</summary>
    public VirtualHost Attacker { get; }

    /// <summary>The attacker's socket on its own address.</summary>
    public IDatagramTransport FromAttacker { get; }

    /// <summary>The attacker's socket on the victim's address: what it sends, the server sees coming from the victim.</summary>
    public IDatagramTransport FromVictim { get; }

    /// <summary>Bytes sent, by (source address, destination address), whatever became of them.</summary>
    public Dictionary<(IPAddress From, IPAddress To), long> Bytes { get; } = [];

    public long BytesBetween(IPAddress from, IPAddress to) => Bytes.GetValueOrDefault((from, to));

    /// <summary>How many datagrams the attacker sent.</summary>
    public int AttackerDatagrams { get; private set; }

    /// <summary>Sends raw JSON to the server from one of the attacker's sockets.</summary>
    public void Send(IDatagramTransport socket, string json)
    {
        AttackerDatagrams++;
        socket.Send(Encoding.UTF8.GetBytes(json), ServerEndPoint);
    }

    public IDatagramTransport HonestSocket(string privateAddress)
    {
        var nat = Network.AddNat(IPAddress.Parse($"198.51.100.{_nextNat++}"), NatOptions.PortRestrictedCone);
        return Own(nat.AddHost(IPAddress.Parse(privateAddress)).Bind(4000));
    }

    public HolepunchClient Client(IDatagramTransport socket) => Own(new HolepunchClient(new HolepunchClientOptions
    {
        RendezvousEndPoint = ServerEndPoint,
        Transport = socket,
        Scheduler = Scheduler,
    }));

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
        Run(TimeSpan.FromMilliseconds(1));
        _trace.Dispose();
        Network.Dispose();
    }

    private void Tally(DatagramTrace trace)
    {
        var key = (trace.Source.Address, trace.Destination.Address);
        Bytes[key] = Bytes.GetValueOrDefault(key) + trace.Length;
    }
}
