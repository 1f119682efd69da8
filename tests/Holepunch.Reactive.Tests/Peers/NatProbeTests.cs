using System.Net;
using Holepunch.Reactive.Peers;
using Holepunch.Reactive.Rendezvous;
using Holepunch.Reactive.Testing;
using Holepunch.Reactive.Testing.Network;

namespace Holepunch.Reactive.Tests.Peers;

public sealed class NatProbeTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ProbeNatAsync_FromTheClientsOwnSocket_ReportsTheMappingItsPeersMeet(bool symmetric)
    {
        var scheduler = new TestScheduler();
        using var network = new VirtualNetwork(scheduler, seed: 3, new LinkOptions { Latency = TimeSpan.FromMilliseconds(10) });
        var serverHost = network.AddHost(IPAddress.Parse("203.0.113.1"));
        using var main = serverHost.Bind(5160);
        using var diagnostics = serverHost.Bind(5161);
        using var server = new RendezvousServer(main, diagnostics, new RendezvousServerOptions { Scheduler = scheduler });
        server.Start();
        var nat = network.AddNat(IPAddress.Parse("198.51.100.1"), symmetric ? NatOptions.Symmetric : NatOptions.PortRestrictedCone);
        using var socket = nat.AddHost(IPAddress.Parse("192.168.1.10")).Bind(4000);
        await using var client = new HolepunchClient(new HolepunchClientOptions
        {
            RendezvousEndPoint = main.LocalEndPoint,
            Transport = socket,
            Scheduler = scheduler,
        });

        var probing = client.ProbeNatAsync(diagnostics.LocalEndPoint);
        scheduler.AdvanceBy(TimeSpan.FromSeconds(1));

        var report = await probing;
        Assert.Equal(nat.PublicAddress, report.PublicEndPoint.Address);
        Assert.Equal(symmetric, report.MappingVariesByDestination);
    }
}
