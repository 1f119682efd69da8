using Holepunch.Reactive.Peers;
using Holepunch.Reactive.Testing.Network;

namespace Holepunch.Reactive.Tests.Peers;

public sealed class PeerTableLimitTests
{
    [Fact]
    public async Task HostAtMaxPeers_DropsFurtherIntroductionsAndCountsThem()
    {
        using var world = new ClientWorld();
        var host = world.Client(world.Options(world.Bind(world.AddNat(NatOptions.FullCone), "192.168.1.10")) with { MaxPeers = 1 });
        var hosting = host.HostAsync("room");
        world.Run(TimeSpan.FromSeconds(1));
        await hosting;

        var first = world.Client(world.Bind(world.AddNat(NatOptions.FullCone), "192.168.2.20")).JoinAsync("first", "room");
        world.Run(TimeSpan.FromSeconds(2));
        var second = world.Client(world.Bind(world.AddNat(NatOptions.FullCone), "192.168.3.30")).JoinAsync("second", "room");
        world.Run(TimeSpan.FromSeconds(10));

        await first;
        await Assert.ThrowsAsync<PeerHandshakeTimeoutException>(() => second);
        Assert.Equal("first", Assert.Single(host.Peers.Items).Name);
        Assert.Equal(1, host.Statistics.Drops.GetValueOrDefault("peer-table-full"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65_537)]
    public void MaxPeersOutOfRange_IsRefusedByValidation(int maxPeers)
    {
        var options = new HolepunchClientOptions { RendezvousEndPoint = new(System.Net.IPAddress.Loopback, 5160), MaxPeers = maxPeers };

        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains(nameof(HolepunchClientOptions.MaxPeers), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyRoomSecret_IsRefusedByValidation()
    {
        var options = new HolepunchClientOptions { RendezvousEndPoint = new(System.Net.IPAddress.Loopback, 5160), RoomSecret = "" };

        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains(nameof(HolepunchClientOptions.RoomSecret), error.Message, StringComparison.Ordinal);
    }
}
