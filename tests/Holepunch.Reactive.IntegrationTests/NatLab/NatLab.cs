using System.Globalization;
using System.Net;
using Xunit.Abstractions;

namespace Holepunch.Reactive.IntegrationTests.NatLab;

/// <summary>
/// A small internet in network namespaces, confined to documentation address ranges that exist nowhere else:
/// <code>
///                   [pub] br0 203.0.113.1 (rendezvous server)
///                  /                     \
///   wan0 203.0.113.2 [ra]           [rb] wan0 203.0.113.3      home routers: NAT, drop unsolicited inbound
///   lan0 192.0.2.1/25                    lan0 198.51.100.1/25
///        /        \                           |
///  [a1] .10    [a2] .11                 [b1] 198.51.100.10
/// </code>
/// Every namespace is named <c>hp-PID-N-ROLE</c>; nothing touches the machine's own namespace. Disposing stops the
/// lab's processes and deletes every namespace it made, whatever happened before.
/// </summary>
internal sealed class NatLab : IAsyncDisposable
{
    public const int ServerPort = 5160;

    public static readonly IPAddress ServerAddress = IPAddress.Parse("203.0.113.1");
    public static readonly IPAddress PublicNetwork = IPAddress.Parse("203.0.113.0");
    public static readonly IPAddress RouterAPublicAddress = IPAddress.Parse("203.0.113.2");
    public static readonly IPAddress RouterBPublicAddress = IPAddress.Parse("203.0.113.3");
    public static readonly IPAddress RouterALanAddress = IPAddress.Parse("192.0.2.1");
    public static readonly IPAddress HostA1Address = IPAddress.Parse("192.0.2.10");
    public static readonly IPAddress HostA2Address = IPAddress.Parse("192.0.2.11");
    public static readonly IPAddress RouterBLanAddress = IPAddress.Parse("198.51.100.1");
    public static readonly IPAddress HostBAddress = IPAddress.Parse("198.51.100.10");

    private static readonly TimeSpan ServerStartTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static int labCount;
    private bool disposed;

    private readonly string prefix;
    private readonly ITestOutputHelper output;
    private readonly List<NetworkNamespace> namespaces = [];
    private readonly List<HolepunchProcess> processes = [];

    private NatLab(ITestOutputHelper output)
    {
        this.output = output;
        prefix = string.Create(CultureInfo.InvariantCulture, $"hp-{Environment.ProcessId}-{Interlocked.Increment(ref labCount)}");
    }

    /// <summary>The public segment, where the rendezvous server runs.</summary>
    public NetworkNamespace Public { get; private set; } = null!;

    public NetworkNamespace RouterA { get; private set; } = null!;

    public NetworkNamespace RouterB { get; private set; } = null!;

    /// <summary>The first host behind router A.</summary>
    public NetworkNamespace HostA1 { get; private set; } = null!;

    /// <summary>The second host behind router A.</summary>
    public NetworkNamespace HostA2 { get; private set; } = null!;

    /// <summary>The host behind router B.</summary>
    public NetworkNamespace HostB { get; private set; } = null!;

    /// <summary>The rendezvous server's endpoint as the clients are given it.</summary>
    public static string ServerEndPoint => new IPEndPoint(ServerAddress, ServerPort).ToString();

    /// <summary>Builds the lab; if any step fails, what was built is torn down before the error is thrown.</summary>
    public static async Task<NatLab> CreateAsync(NatBehavior routerA, NatBehavior routerB, ITestOutputHelper output)
    {
        await StaleLabCleanup.RunOnceAsync();
        var lab = new NatLab(output);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await lab.BuildAsync(routerA, routerB);
            output.WriteLine($"NAT lab {lab.prefix} ({routerA}, {routerB}) built in {clock.Elapsed.TotalSeconds:F2} s.");
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts <c>holepunch server</c> on the public segment and waits until it listens.</summary>
    public async Task<HolepunchProcess> StartServerAsync()
    {
        var server = Start(Public, "server", ["server", "--bind", ServerAddress.ToString(), "--port", ServerPort.ToString(CultureInfo.InvariantCulture),
            // The lab numbers its LANs from documentation ranges, which the server does not take for LANs unless told.
            "--lan-network", "192.0.2.0/25", "--lan-network", "198.51.100.0/25"]);
        using var deadline = new CancellationTokenSource(ServerStartTimeout);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await Public.IsUdpPortBoundAsync(ServerPort))
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException($"The rendezvous server exited at start.\n{server.Transcript}");
            }

            try
            {
                await Task.Delay(PollInterval, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The rendezvous server did not listen within {ServerStartTimeout.TotalSeconds} s.\n{server.Transcript}");
            }
        }

        output.WriteLine($"Rendezvous server listening after {clock.Elapsed.TotalSeconds:F2} s.");
        return server;
    }

    /// <summary>Starts <c>holepunch host ROOM --json</c> on a lab host.</summary>
    public HolepunchProcess StartHost(NetworkNamespace where, string room, int port, params string[] options) =>
        Start(where, $"host {room}", ["host", room, "--server", ServerEndPoint, "--port", port.ToString(CultureInfo.InvariantCulture), "--json", .. options]);

    /// <summary>Starts <c>holepunch join USER ROOM --json</c> on a lab host.</summary>
    public HolepunchProcess StartJoin(NetworkNamespace where, string user, string room, int port, params string[] options) =>
        Start(where, $"join {user}", ["join", user, room, "--server", ServerEndPoint, "--port", port.ToString(CultureInfo.InvariantCulture), "--json", .. options]);

    /// <summary>UDP packets the public segment forwarded from one router to the other (peer traffic, not the server's).</summary>
    public Task<long> PublicPeerPacketsAsync() => Public.ReadCounterAsync("bridge", "lab", LabRulesets.ForwardedUdpCounter);

    /// <summary>Packets that entered the public segment with a source address that is not public (none, if the NATs work).</summary>
    public Task<long> PublicUntranslatedPacketsAsync() => Public.ReadCounterAsync("bridge", "lab", LabRulesets.NotTranslatedCounter);

    /// <summary>UDP packets LAN A forwarded from one host to another without going through the router.</summary>
    public Task<long> LanAPeerPacketsAsync() => RouterA.ReadCounterAsync("bridge", "lab", LabRulesets.ForwardedUdpCounter);

    /// <summary>Unsolicited packets a router dropped on its WAN side.</summary>
    public static Task<long> UnsolicitedDropsAsync(NetworkNamespace router) => router.ReadCounterAsync("ip", "lab", LabRulesets.UnsolicitedCounter);

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var failures = new List<Exception>();
        foreach (var process in processes)
        {
            try
            {
                await process.DisposeAsync();
            }
            catch (Exception error) when (error is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                failures.Add(error);
            }

            output.WriteLine($"===== {process.Label}\n{process.Transcript}");
        }

        // All at once; each deletion reports its own failure after the others have had their go.
        foreach (var deletion in namespaces.Select(static n => n.DeleteAsync()).ToArray())
        {
            try
            {
                await deletion;
            }
            catch (Exception error) when (error is InvalidOperationException or TimeoutException)
            {
                failures.Add(error);
            }
        }

        output.WriteLine($"NAT lab {prefix} torn down in {clock.Elapsed.TotalSeconds:F2} s.");
        if (failures.Count > 0)
        {
            throw new AggregateException($"Tearing down the NAT lab {prefix} failed.", failures);
        }
    }

    private HolepunchProcess Start(NetworkNamespace where, string label, IReadOnlyList<string> arguments)
    {
        var process = HolepunchProcess.Start(where, label, arguments);
        processes.Add(process);
        return process;
    }

    private async Task BuildAsync(NatBehavior routerA, NatBehavior routerB)
    {
        string[] roles = ["pub", "ra", "rb", "a1", "a2", "b1"];
        var names = roles.Select(role => $"{prefix}-{role}").ToArray();
        // Known before they exist, so that a failure halfway still deletes every one that was made.
        namespaces.AddRange(names.Select(NetworkNamespace.Named));
        var created = await NetworkNamespace.CreateAllAsync(names);
        (Public, RouterA, RouterB, HostA1, HostA2, HostB) = (created[0], created[1], created[2], created[3], created[4], created[5]);

        // The public segment: a bridge carrying the server's address; the routers' ports join it below.
        await Public.IpBatchAsync(
            "link set lo up",
            "link add br0 type bridge",
            $"addr add {ServerAddress}/24 dev br0",
            "link set br0 up");
        await Public.ApplyRulesetAsync(LabRulesets.PublicSegment(PublicNetwork, 24));

        await BuildRouterAsync(RouterA, "ra", RouterAPublicAddress, RouterALanAddress, routerA, [("a1", HostA1), ("a2", HostA2)]);
        await BuildRouterAsync(RouterB, "rb", RouterBPublicAddress, RouterBLanAddress, routerB, [("b1", HostB)]);
        await RouterA.ApplyRulesetAsync(LabRulesets.Lan());
        await Public.IpBatchAsync("link set ra master br0", "link set ra up", "link set rb master br0", "link set rb up");

        await BuildHostAsync(HostA1, HostA1Address, RouterALanAddress);
        await BuildHostAsync(HostA2, HostA2Address, RouterALanAddress);
        await BuildHostAsync(HostB, HostBAddress, RouterBLanAddress);
    }

    /// <summary>
    /// A router: <c>wan0</c> on the public segment (its far end, named <paramref name="port"/>, in the public
    /// namespace) and a <c>lan0</c> bridge with one port per host (each host's end is its <c>eth0</c>). Every veth is
    /// created directly between two lab namespaces: the machine's own namespace never sees them.
    /// </summary>
    private async Task BuildRouterAsync(NetworkNamespace router, string port, IPAddress wan, IPAddress lan, NatBehavior behavior, (string Port, NetworkNamespace Host)[] hosts)
    {
        var lines = new List<string>
        {
            "link set lo up",
            $"link add wan0 type veth peer name {port} netns {Public.Name}",
            $"addr add {wan}/24 dev wan0",
            "link set wan0 up",
            "link add lan0 type bridge",
            $"addr add {lan}/25 dev lan0",
            "link set lan0 up",
        };
        foreach (var (hostPort, host) in hosts)
        {
            lines.Add($"link add {hostPort} type veth peer name eth0 netns {host.Name}");
            lines.Add($"link set {hostPort} master lan0");
            lines.Add($"link set {hostPort} up");
        }

        await router.IpBatchAsync([.. lines]);
        await router.EnableForwardingAsync();
        await router.ApplyRulesetAsync(LabRulesets.HomeRouter(behavior));
    }

    private static Task BuildHostAsync(NetworkNamespace host, IPAddress address, IPAddress gateway) =>
        host.IpBatchAsync(
            "link set lo up",
            $"addr add {address}/25 dev eth0",
            "link set eth0 up",
            $"route add default via {gateway}");
}
