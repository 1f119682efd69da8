using Holepunch.Reactive.Rendezvous;

namespace Holepunch.Reactive.Tests.Rendezvous;

public sealed class RendezvousServerOptionsTests
{
    [Fact]
    public void Defaults_AreDocumentedValuesAndValid()
    {
        var options = new RendezvousServerOptions();

        Assert.Equal(
            (8192, 10_000, TimeSpan.FromSeconds(300), 20, 10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), 10_000, 4096),
            (options.MaxDatagramSize, options.MaxRegistrations, options.MaxRegistrationLifetime, options.SourceTokenLimit,
             options.SourceTokensPerPeriod, options.SourceReplenishmentPeriod, options.SourceIdleTimeout, options.MaxSources,
             options.MaxPendingDatagrams));
        Assert.Equal((3, 64, 10_000, 5_000), (options.AmplificationFactor, options.MaxRegistrationsPerAddress, options.GlobalTokenLimit, options.GlobalTokensPerPeriod));
        Assert.Null(options.Scheduler);
        Assert.NotSame(options, options.Validated());
    }

    [Fact]
    public void EveryInvalidValue_IsListedInOneException()
    {
        var options = new RendezvousServerOptions
        {
            MaxDatagramSize = 70_000,
            MaxRegistrations = 0,
            MaxRegistrationLifetime = TimeSpan.Zero,
            SourceTokenLimit = 0,
            SourceTokensPerPeriod = -1,
            SourceReplenishmentPeriod = TimeSpan.FromSeconds(-1),
            SourceIdleTimeout = TimeSpan.Zero,
            MaxSources = 0,
            MaxPendingDatagrams = 0,
            AmplificationFactor = 0,
            MaxRegistrationsPerAddress = 0,
            GlobalTokenLimit = 0,
            GlobalTokensPerPeriod = 0,
        };
        using var transport = new FakeDatagramTransport();

        var error = Assert.Throws<ArgumentException>(() => new RendezvousServer(transport, options));

        Assert.Equal("options", error.ParamName);
        foreach (var name in new[]
        {
            nameof(options.MaxDatagramSize), nameof(options.MaxRegistrations), nameof(options.MaxRegistrationLifetime),
            nameof(options.SourceTokenLimit), nameof(options.SourceTokensPerPeriod), nameof(options.SourceReplenishmentPeriod),
            nameof(options.SourceIdleTimeout), nameof(options.MaxSources), nameof(options.MaxPendingDatagrams),
            nameof(options.AmplificationFactor), nameof(options.MaxRegistrationsPerAddress),
            nameof(options.GlobalTokenLimit), nameof(options.GlobalTokensPerPeriod),
        })
        {
            Assert.Contains($"- {name} is ", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void OptionsChangedAfterConstruction_DoNotAffectTheServer()
    {
        var scheduler = new Holepunch.Reactive.Testing.TestScheduler();
        var options = new RendezvousServerOptions { MaxRegistrations = 1, Scheduler = scheduler };
        using var transport = new FakeDatagramTransport();
        using var server = new RendezvousServer(transport, options);
        server.Start();
        options.MaxRegistrations = 100;

        transport.Push(RendezvousServerHarness.Register("a"), RendezvousServerHarness.EndPoint("203.0.113.1:1"), RendezvousServerHarness.ServerEndPoint);
        transport.Push(RendezvousServerHarness.Register("b"), RendezvousServerHarness.EndPoint("203.0.113.2:1"), RendezvousServerHarness.ServerEndPoint);
        scheduler.AdvanceBy(2);

        Assert.Equal(1, server.Registrations.Count);
        Assert.Contains("server full", transport.Sent[^1].Json, StringComparison.Ordinal);
    }
}
