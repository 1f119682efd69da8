using Holepunch.Reactive.Peers;
using Holepunch.Reactive.Peers.Internal;
using Holepunch.Reactive.Testing.Network;

namespace Holepunch.Reactive.Tests.Peers;

/// <summary>
/// Key agreement off the loop: a peer introduced while its keys are agreed is not lost to the agreement — its
/// datagrams that arrive meanwhile are held and handled once the keys are ready.
/// </summary>
public sealed class KeyAgreementTests
{
    [Fact]
    public void ProbeArrivingWhileTheKeysAreAgreed_IsHeldAndAnswered_SoBothConfirmAtOnce()
    {
        using var world = new ClientWorld();
        var (host, joiner, agreements) = HostHoldingItsAgreement(world);
        var confirmed = new List<(string Who, TimeSpan At)>();
        using var s1 = host.PeerConfirmations.Subscribe(_ => confirmed.Add(("host", world.Now)));
        using var s2 = joiner.PeerConfirmations.Subscribe(_ => confirmed.Add(("joiner", world.Now)));
        _ = host.HostAsync("room");
        world.Run(TimeSpan.FromSeconds(1));
        _ = joiner.JoinAsync("joiner", "room");

        // The joiner is introduced, agrees at once and probes; the host is still agreeing.
        world.Run(TimeSpan.FromMilliseconds(200));
        var (work, done) = Assert.Single(agreements);
        Assert.Empty(confirmed);

        var released = world.Now;
        done.SetResult(work());
        world.Run(TimeSpan.FromMilliseconds(100));

        // The held probe is answered as soon as the keys are ready: no wait for the joiner's next round (1 s later).
        Assert.Equal(["host", "joiner"], confirmed.Select(c => c.Who).Order());
        Assert.All(confirmed, c => Assert.True(c.At - released < TimeSpan.FromMilliseconds(50), $"{c.Who} confirmed {c.At - released} after the keys"));
        Assert.False(host.Statistics.Drops.ContainsKey("unknown-sender"));
        Assert.True(Assert.Single(host.Peers.Items).IsAuthenticated);
    }

    [Fact]
    public void PeerDroppedWhileItsKeysAreAgreed_IsNotStartedWhenTheyAreReady()
    {
        using var world = new ClientWorld();
        var (host, joiner, agreements) = HostHoldingItsAgreement(world);
        var linked = 0;
        using var s = host.Events.Subscribe(e => linked += e is Holepunch.Reactive.Peers.Events.Linked ? 1 : 0);
        _ = host.HostAsync("room");
        world.Run(TimeSpan.FromSeconds(1));
        _ = joiner.JoinAsync("joiner", "room");
        world.Run(TimeSpan.FromMilliseconds(200));

        host.DropPeer("joiner");
        world.Run(TimeSpan.FromMilliseconds(1));
        var (work, done) = Assert.Single(agreements);
        done.SetResult(work());
        world.Run(TimeSpan.FromMilliseconds(500));

        Assert.Equal(0, linked);
        Assert.Empty(host.Peers.Items);
    }

    [Fact]
    public void OnItsOwnLoop_AClientAgreesOffTheLoopOnlyOnDotNetsSlowerPath()
    {
        // Through OpenSSL directly (~60 µs) an agreement runs inline; a thread-pool hop would cost more than it saves.
        using var world = new ClientWorld();
        using var loop = new Holepunch.Reactive.Time.InlineEventLoop(static _ => { });
        var options = world.Options(world.Bind(world.AddNat(NatOptions.FullCone), "192.168.1.10"));
        using var core = new ClientCore(options, options.Transport!, ownsTransport: false, loop, ownsScheduler: true);

        Assert.NotNull(core.PeerKeys);
        Assert.Equal(!core.PeerKeys.IsDirect, core.AgreeKeys is not null);
        Assert.Equal(OpenSslEcdh.IsAvailable, core.AgreeKeys is null);
    }

    [Theory]
    [InlineData("sealed, own loop", true)]
    [InlineData("plain", false)]
    [InlineData("sealed, a given scheduler", false)]
    [InlineData("sealed, agreements run elsewhere", false)]
    public void AClientsOwnSocket_WarmsItsReceiveThreadOnlyWhenThatThreadWillAgreeTheKeys(string setup, bool warmed)
    {
        var options = setup switch
        {
            "plain" => new HolepunchClientOptions { SecurePeers = false },
            "sealed, a given scheduler" => new HolepunchClientOptions { Scheduler = System.Reactive.Concurrency.ImmediateScheduler.Instance },
            "sealed, agreements run elsewhere" => new HolepunchClientOptions { KeyAgreementRunner = work => Task.Run(work) },
            _ => new HolepunchClientOptions(),
        };

        var transport = HolepunchClient.OwnTransportOptions(options);

        Assert.Equal(options.LocalEndPoint, transport.BindEndPoint);
        Assert.Equal(warmed && OpenSslEcdh.IsAvailable ? PeerKeyPair.WarmUpThread : null, transport.ReceiveThreadStarting);
    }

    [Fact]
    public async Task AWarmedThread_AgreesKeysThatSealAndOpen()
    {
        using var host = new PeerKeyPair();
        using var joiner = new PeerKeyPair();
        Assert.True(await Task.Run(() =>
        {
            PeerKeyPair.WarmUpThread();
            using var atHost = host.TryAgree("room", "joiner", joiner.PublicKey)!;
            using var atJoiner = joiner.TryAgree("joiner", "room", host.PublicKey)!;
            var opened = atHost.TryOpen(atJoiner.Seal("x"u8.ToArray()), out var plaintext);
            return opened is null && plaintext.SequenceEqual("x"u8);
        }));
    }

    /// <summary>A host whose key agreements wait in the returned list for the test; the joiner's run inline as usual.</summary>
    private static (HolepunchClient Host, HolepunchClient Joiner, List<(Func<PeerSeal?> Work, TaskCompletionSource<PeerSeal?> Done)> Agreements)
        HostHoldingItsAgreement(ClientWorld world)
    {
        var agreements = new List<(Func<PeerSeal?> Work, TaskCompletionSource<PeerSeal?> Done)>();
        var host = world.Client(world.Options(world.Bind(world.AddNat(NatOptions.FullCone), "192.168.1.10")) with
        {
            KeyAgreementRunner = work =>
            {
                var done = new TaskCompletionSource<PeerSeal?>();
                agreements.Add((work, done));
                return done.Task;
            },
        });
        var joiner = world.Client(world.Bind(world.AddNat(NatOptions.FullCone), "192.168.2.20"));
        return (host, joiner, agreements);
    }
}
