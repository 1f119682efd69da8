using System.Net;
using Holepunch.Reactive.Rendezvous;
using static Holepunch.Reactive.Tests.Rendezvous.RendezvousServerHarness;

namespace Holepunch.Reactive.Tests.Rendezvous;

public sealed class AmplificationGuardTests
{
    private static readonly IPEndPoint Joiner = EndPoint("198.51.100.7:50000");
    private static readonly IPEndPoint Host = EndPoint("203.0.113.5:40000");

    private static AmplificationGuard Create(int maxSources = 100, int idleSeconds = 3) => new(new RendezvousServerOptions
    {
        MaxSources = maxSources,
        SourceReplenishmentPeriod = TimeSpan.FromSeconds(1),
        SourceIdleTimeout = TimeSpan.FromSeconds(idleSeconds),
    });

    [Fact]
    public void Reply_UpToThreeTimesTheRequest_IsPaid()
    {
        var guard = Create();
        guard.BeginRequest(Joiner, 100);

        Assert.True(guard.TryPayReply(200));
        Assert.True(guard.TryPayReply(100));
        Assert.False(guard.TryPayReply(1));
    }

    [Fact]
    public void RefusedReply_SpendsNothing_AndUnspentCreditIsSaved()
    {
        var guard = Create();
        guard.BeginRequest(Joiner, 30);
        Assert.False(guard.TryPayReply(100));

        guard.BeginRequest(Joiner, 30);

        Assert.True(guard.TryPayReply(100));
        Assert.Equal(80, guard.CreditOf(Joiner));
    }

    [Fact]
    public void SavedCredit_IsCappedAtFourFullDatagramsWorth()
    {
        var guard = Create();
        var max = new RendezvousServerOptions().MaxDatagramSize;
        for (var i = 0; i < 100; i++)
        {
            guard.BeginRequest(Joiner, max);
        }

        Assert.Equal(3L * max * AmplificationGuard.SavedDatagrams, guard.CreditOf(Joiner));
    }

    [Fact]
    public void Join_HostWithCredit_PaysItsOwnIntroduction()
    {
        var guard = Create();
        guard.BeginRequest(Host, 150);
        guard.BeginRequest(Joiner, 100);

        Assert.True(guard.TryPayJoin(Host, 160, 160));

        Assert.Equal((450L - 160, 300L - 160), (guard.CreditOf(Host), guard.CreditOf(Joiner)));
    }

    [Fact]
    public void Join_HostWithoutCredit_IsPaidByTheJoiner()
    {
        var guard = Create();
        guard.BeginRequest(Joiner, 120);

        Assert.True(guard.TryPayJoin(Host, 160, 160));

        Assert.Equal(360L - 320, guard.CreditOf(Joiner));
    }

    [Fact]
    public void Join_NobodyCanPay_IsRefusedWholeAndSpendsNothing()
    {
        var guard = Create();
        guard.BeginRequest(Host, 50);
        guard.BeginRequest(Joiner, 100);

        Assert.False(guard.TryPayJoin(Host, 160, 160));

        Assert.Equal((150L, 300L), (guard.CreditOf(Host), guard.CreditOf(Joiner)));
    }

    [Fact]
    public void Join_OfOwnRoom_PaysBothFromTheOneCredit()
    {
        var guard = Create();
        guard.BeginRequest(Joiner, 100);

        Assert.False(guard.TryPayJoin(Joiner, 160, 160));
        Assert.True(guard.TryPayJoin(Joiner, 150, 150));
        Assert.Equal(0, guard.CreditOf(Joiner));
    }

    [Fact]
    public void FullTable_NewSourceGetsOneOffCreditOnly()
    {
        var guard = Create(maxSources: 1);
        guard.BeginRequest(Host, 100);

        guard.BeginRequest(Joiner, 100);
        Assert.True(guard.TryPayReply(200));
        guard.BeginRequest(Joiner, 100);

        Assert.False(guard.TryPayReply(301));
        Assert.True(guard.TryPayReply(300));
        Assert.Equal(1, guard.Count);
    }

    [Fact]
    public void IdleSource_IsForgottenAfterTheIdleTimeout()
    {
        var guard = Create(idleSeconds: 3);
        guard.BeginRequest(Joiner, 100);

        guard.Tick();
        guard.Tick();
        Assert.Equal(1, guard.Count);
        guard.Tick();
        Assert.Equal(0, guard.Count);
    }

    [Fact]
    public void TinyRequestWhoseErrorIsLargerThanThreeTimesIt_GetsNoReplyAndIsCounted()
    {
        using var harness = new RendezvousServerHarness();
        var source = EndPoint("192.0.2.50:1000");

        harness.Handle("""{"type":"registering-server"}""", source);

        Assert.Empty(harness.Sent);
        Assert.Equal(1, harness.Server.Counters.Dropped(RendezvousDropReason.AmplificationLimit));
    }
}
