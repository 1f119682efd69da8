using System.Text.Json;
using Holepunch.Reactive.Peers;
using Holepunch.Reactive.Resilience;
using Holepunch.Reactive.Testing.Network;

namespace Holepunch.Reactive.Tests.Peers;

/// <summary>
/// Every NAT behaviour pairing in virtual time: each cell connects (directly where the NATs allow it, through the
/// relay otherwise), delivers every reliable message exactly once both ways, and picks the path expected for it.
/// </summary>
public sealed class PathMatrixTests
{
    private static readonly NatBehavior[] Behaviors = [NatBehavior.EndpointIndependent, NatBehavior.AddressDependent, NatBehavior.AddressAndPortDependent];

    /// <summary>Both peers behind the same kind of NAT, on one LAN or not, hairpinning or not, with and without loss.</summary>
    public static TheoryData<NatBehavior, NatBehavior, bool, bool, double> SameKindCells()
    {
        var cells = new TheoryData<NatBehavior, NatBehavior, bool, bool, double>();
        foreach (var mapping in Behaviors)
        {
            foreach (var filtering in Behaviors)
            {
                foreach (var hairpin in new[] { false, true })
                {
                    foreach (var sameLan in new[] { false, true })
                    {
                        foreach (var loss in new[] { 0.0, 0.2 })
                        {
                            cells.Add(mapping, filtering, hairpin, sameLan, loss);
                        }
                    }
                }
            }
        }

        return cells;
    }

    /// <summary>Every pairing of two different NAT kinds, each peer behind its own.</summary>
    public static TheoryData<NatBehavior, NatBehavior, NatBehavior, NatBehavior> MixedCells()
    {
        var cells = new TheoryData<NatBehavior, NatBehavior, NatBehavior, NatBehavior>();
        foreach (var hostMapping in Behaviors)
        {
            foreach (var hostFiltering in Behaviors)
            {
                foreach (var joinerMapping in Behaviors)
                {
                    foreach (var joinerFiltering in Behaviors)
                    {
                        if ((hostMapping, hostFiltering) != (joinerMapping, joinerFiltering))
                        {
                            cells.Add(hostMapping, hostFiltering, joinerMapping, joinerFiltering);
                        }
                    }
                }
            }
        }

        return cells;
    }

    [Theory]
    [MemberData(nameof(SameKindCells))]
    public async Task SameKind_ConnectsOnTheExpectedPathAndDeliversEverythingOnce(NatBehavior mapping, NatBehavior filtering, bool hairpin, bool sameLan, double loss)
    {
        var options = new NatOptions { Mapping = mapping, Filtering = filtering, Hairpinning = hairpin };
        var expected = sameLan ? PeerAddressKind.Local : mapping == NatBehavior.EndpointIndependent ? PeerAddressKind.Global : PeerAddressKind.Relay;
        await RunCellAsync(options, options, sameLan, loss, expected);
    }

    [Theory]
    [MemberData(nameof(MixedCells))]
    public async Task Mixed_ConnectsOnTheExpectedPathAndDeliversEverythingOnce(NatBehavior hostMapping, NatBehavior hostFiltering, NatBehavior joinerMapping, NatBehavior joinerFiltering)
    {
        var expected = hostMapping == NatBehavior.EndpointIndependent && joinerMapping == NatBehavior.EndpointIndependent
            ? PeerAddressKind.Global
            : PeerAddressKind.Relay;
        await RunCellAsync(
            new NatOptions { Mapping = hostMapping, Filtering = hostFiltering },
            new NatOptions { Mapping = joinerMapping, Filtering = joinerFiltering },
            sameLan: false,
            loss: 0,
            expected);
    }

    private static async Task RunCellAsync(NatOptions hostNatOptions, NatOptions joinerNatOptions, bool sameLan, double loss, PeerAddressKind expected)
    {
        using var world = new ClientWorld(new LinkOptions { Latency = TimeSpan.FromMilliseconds(10), Loss = loss });
        world.Server.RelayEnabled = true;
        var hostNat = world.AddNat(hostNatOptions);
        var joinerNat = sameLan ? hostNat : world.AddNat(joinerNatOptions);
        // 20% loss on every access link: a relayed exchange crosses eight links, so give it many attempts.
        var retry = loss > 0 ? new RequestRetryOptions { MaxAttempts = 40 } : RequestRetryOptions.Default;
        HolepunchClientOptions Options(string address, VirtualNat nat) =>
            world.Options(world.Bind(nat, address)) with { PunchRetry = retry, PeerRetry = retry, ReliableRetry = retry, RendezvousRetry = retry };
        var host = world.Client(Options("192.168.1.10", hostNat));
        var joiner = world.Client(Options(sameLan ? "192.168.1.11" : "192.168.2.20", joinerNat));
        _ = host.HostAsync("room");
        world.Run(TimeSpan.FromSeconds(15));
        var joining = joiner.JoinAsync("joiner", "room");
        world.Run(TimeSpan.FromSeconds(90));
        await joining;

        var atHost = new List<long>();
        var atJoiner = new List<long>();
        using var s1 = host.ReliableMessages.Subscribe(m => atHost.Add(m.Message.GetInt64()));
        using var s2 = joiner.ReliableMessages.Subscribe(m => atJoiner.Add(m.Message.GetInt64()));
        var sends = Enumerable.Range(0, 10)
            .SelectMany(i => new[] { joiner.SendReliableAsync("room", JsonSerializer.SerializeToElement(i)), host.SendReliableAsync("joiner", JsonSerializer.SerializeToElement(i)) })
            .ToArray();
        world.Run(TimeSpan.FromSeconds(60));

        Assert.Equal(expected, Assert.Single(host.Peers.Items).Via);
        Assert.Equal(expected, Assert.Single(joiner.Peers.Items).Via);
        Assert.All(sends, s => Assert.True(s.IsCompletedSuccessfully));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), atHost.Order());
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), atJoiner.Order());
    }
}
