using System.Net;
using System.Text.Json;
using static Holepunch.Reactive.Tests.Rendezvous.RendezvousServerHarness;

namespace Holepunch.Reactive.Tests.Rendezvous;

/// <summary>The <c>peer-key</c> extension on the server: each introduction carries the other side's key, bounded.</summary>
public sealed class RendezvousServerPeerKeyTests
{
    private static readonly IPEndPoint Host = EndPoint("203.0.113.5:40000");
    private static readonly IPEndPoint Joiner = EndPoint("198.51.100.7:50000");

    [Fact]
    public void BothSidesAnnounceKeys_EachIntroductionCarriesTheOtherSidesKey()
    {
        using var harness = new RendezvousServerHarness();

        var (toHost, toJoiner) = Introduce(harness, WithKey(Register("room"), "host-key_A-1"), WithKey(Join("joiner", "room"), "joiner-key_B-2"));

        Assert.Equal("joiner-key_B-2", KeyOf(toHost));
        Assert.Equal("host-key_A-1", KeyOf(toJoiner));
    }

    [Fact]
    public void GodotJoiner_NoKey_HostGetsNoKeyAndJoinerStillGetsTheHosts()
    {
        using var harness = new RendezvousServerHarness();

        var (toHost, toJoiner) = Introduce(harness, WithKey(Register("room"), "host-key"), Join("joiner", "room"));

        Assert.Null(KeyOf(toHost));
        Assert.Equal("host-key", KeyOf(toJoiner));
    }

    [Fact]
    public void OversizedKey_IsNotPassedOn()
    {
        using var harness = new RendezvousServerHarness();
        var huge = new string('k', 257);

        var (toHost, toJoiner) = Introduce(harness, WithKey(Register("room"), huge), WithKey(Join("joiner", "room"), huge));

        Assert.Null(KeyOf(toHost));
        Assert.Null(KeyOf(toJoiner));
    }

    [Fact]
    public void KeyOfTheWrongType_CountsAsAbsent()
    {
        using var harness = new RendezvousServerHarness();

        var (toHost, _) = Introduce(harness, Register("room"), Join("joiner", "room")[..^1] + ",\"peer-key\":42}");

        Assert.Null(KeyOf(toHost));
    }

    private static (SentDatagram ToHost, SentDatagram ToJoiner) Introduce(RendezvousServerHarness harness, string registration, string join)
    {
        harness.Handle(registration, Host);
        harness.TakeSent();
        harness.Handle(join, Joiner);
        var sent = harness.TakeSent();
        Assert.Equal(2, sent.Length);
        return (Assert.Single(sent, s => s.To.Equals(Host)), Assert.Single(sent, s => s.To.Equals(Joiner)));
    }

    private static string WithKey(string request, string key) => request[..^1] + $",\"peer-key\":\"{key}\"}}";

    private static string? KeyOf(SentDatagram sent)
    {
        using var document = JsonDocument.Parse(sent.Json);
        return document.RootElement.TryGetProperty("peer-key", out var key) ? key.GetString() : null;
    }
}
