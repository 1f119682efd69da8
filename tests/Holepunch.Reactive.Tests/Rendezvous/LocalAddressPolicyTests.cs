using System.Net;
using Holepunch.Reactive.Rendezvous;
using static Holepunch.Reactive.Tests.Rendezvous.RendezvousServerHarness;

namespace Holepunch.Reactive.Tests.Rendezvous;

public sealed class LocalAddressPolicyTests
{
    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.10")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.255")]
    [InlineData("169.254.1.1")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("fd00::1")]
    [InlineData("::ffff:192.168.1.10")]
    [InlineData("198.51.100.7")]
    public void LanOrOwnAddress_IsPassedOn(string local) =>
        Assert.True(LocalAddressPolicy.IsPlausible(IPAddress.Parse(local), IPAddress.Parse("198.51.100.7")));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("203.0.113.66")]
    [InlineData("2001:db8::66")]
    [InlineData("::ffff:203.0.113.66")]
    public void PublicAddressOfAnotherMachine_IsNotPassedOn(string local) =>
        Assert.False(LocalAddressPolicy.IsPlausible(IPAddress.Parse(local), IPAddress.Parse("198.51.100.7")));

    [Fact]
    public void JoinReportingAVictimsPublicAddressAsLocal_HostIsGivenTheJoinersPublicAddressInstead()
    {
        using var harness = new RendezvousServerHarness();
        var host = EndPoint("203.0.113.5:40000");
        var joiner = EndPoint("198.51.100.7:50000");
        harness.Handle(Register("room"), host);
        harness.TakeSent();

        harness.Handle(Join("joiner", "room", "203.0.113.66", 80), joiner);

        var toHost = Assert.Single(harness.TakeSent(), s => s.To.Equals(host));
        Assert.Contains("\"local-address\":[\"198.51.100.7\",50000]", toHost.Json, StringComparison.Ordinal);
    }

    [Fact]
    public void RoomRegisteredWithAVictimsPublicAddressAsLocal_JoinerIsGivenTheHostsPublicAddressInstead()
    {
        using var harness = new RendezvousServerHarness();
        var host = EndPoint("203.0.113.5:40000");
        var joiner = EndPoint("198.51.100.7:50000");
        harness.Handle(Register("room", "8.8.8.8", 53), host);
        harness.TakeSent();

        harness.Handle(Join("joiner", "room"), joiner);

        var toJoiner = Assert.Single(harness.TakeSent(), s => s.To.Equals(joiner));
        Assert.Contains("\"local-address\":[\"203.0.113.5\",40000]", toJoiner.Json, StringComparison.Ordinal);
    }

    [Fact]
    public void AddressInAConfiguredLanNetwork_IsPassedOnThoughItLooksPublic()
    {
        var lab = new List<IPNetwork> { IPNetwork.Parse("192.0.2.0/25") };

        Assert.Equal(EndPoint("192.0.2.11:4000"), LocalAddressPolicy.Introduced(EndPoint("192.0.2.11:4000"), EndPoint("203.0.113.2:40000"), lab));
        Assert.Equal(EndPoint("203.0.113.2:40000"), LocalAddressPolicy.Introduced(EndPoint("192.0.2.200:4000"), EndPoint("203.0.113.2:40000"), lab));
        Assert.Equal(EndPoint("203.0.113.2:40000"), LocalAddressPolicy.Introduced(EndPoint("192.0.2.11:4000"), EndPoint("203.0.113.2:40000")));
    }
}
