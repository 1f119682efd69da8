using Holepunch.Reactive.Rendezvous;
using Holepunch.Reactive.Testing;

namespace Holepunch.Reactive.Tests.Rendezvous;

public sealed class RelayOptionsTests
{
    [Fact]
    public void Defaults_AreTheDocumentedValuesAndValid()
    {
        var options = new RendezvousServerOptions().Relay;

        Assert.True(options.Enabled);
        Assert.Equal((1000, 8, 64 * 1024, 128 * 1024), (options.MaxRelays, options.MaxRelaysPerAddress, options.BytesPerSecond, options.BurstBytes));
        Assert.Equal(
            (TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1)),
            (options.MaxDuration, options.IdleTimeout, options.RefusalInterval));
        Assert.NotSame(options, new RendezvousServerOptions { Relay = options }.Validated().Relay);
    }

    [Fact]
    public void EveryInvalidValue_IsListedInOneException()
    {
        var options = new RendezvousServerOptions
        {
            Relay = new RelayOptions
            {
                MaxRelays = 0,
                MaxRelaysPerAddress = 0,
                BytesPerSecond = 0,
                BurstBytes = 100,
                MaxDuration = TimeSpan.Zero,
                IdleTimeout = TimeSpan.FromSeconds(-1),
                RefusalInterval = TimeSpan.Zero,
            },
        };
        using var transport = new FakeDatagramTransport();

        var error = Assert.Throws<ArgumentException>(() => new RendezvousServer(transport, options));

        foreach (var name in new[] { "MaxRelays", "MaxRelaysPerAddress", "BytesPerSecond", "BurstBytes", "MaxDuration", "IdleTimeout", "RefusalInterval" })
        {
            Assert.Contains($"- Relay.{name} is ", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void NullRelayOptions_AreRejected()
    {
        using var transport = new FakeDatagramTransport();

        var error = Assert.Throws<ArgumentException>(() => new RendezvousServer(transport, new RendezvousServerOptions { Relay = null! }));

        Assert.Contains("- Relay is null", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BurstSmallerThanTheLargestForwardedDatagram_IsRejected()
    {
        using var transport = new FakeDatagramTransport();
        var options = new RendezvousServerOptions { MaxDatagramSize = 1000 };
        options.Relay.BurstBytes = 1255;

        var error = Assert.Throws<ArgumentException>(() => new RendezvousServer(transport, options));

        Assert.Contains("- Relay.BurstBytes is 1255", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RelayOptionsChangedAfterConstruction_DoNotAffectTheServer()
    {
        var scheduler = new TestScheduler();
        var options = new RendezvousServerOptions { Scheduler = scheduler };
        using var transport = new FakeDatagramTransport();
        using var server = new RendezvousServer(transport, options);
        server.Start();

        options.Relay.Enabled = false;
        transport.Push(RendezvousServerRelayTests.RegisterWith("room", """["relay"]"""), RendezvousServerHarness.EndPoint("203.0.113.5:40000"), RendezvousServerHarness.ServerEndPoint);
        transport.Push(RendezvousServerRelayTests.JoinWith("joiner", "room", """["relay"]"""), RendezvousServerHarness.EndPoint("198.51.100.7:50000"), RendezvousServerHarness.ServerEndPoint);
        scheduler.AdvanceBy(10);

        Assert.Equal(1, server.Counters.Relay.Opened);
    }
}
