using System.Net;
using Holepunch.Reactive.Rendezvous;
using static Holepunch.Reactive.Tests.Rendezvous.RendezvousServerHarness;

namespace Holepunch.Reactive.Tests.Rendezvous;

public sealed class RendezvousServerRegistrationTests
{
    private static readonly IPEndPoint Host = EndPoint("203.0.113.5:40000");
    private static readonly IPEndPoint Other = EndPoint("198.51.100.9:41000");

    [Fact]
    public void GodotClientRegistrationDatagram_IsConfirmedAndStored()
    {
        using var harness = new RendezvousServerHarness();

        // Exactly as the deployed Godot client sends it (PROTOCOL.md), with a port.
        harness.Handle(
            """{"type":"registering-server","local-address":["127.0.0.1",4001],"seconds-before-expiry":60,"sender":"room","intended-recipient":""}""",
            Host);

        var sent = Assert.Single(harness.TakeSent());
        Assert.Equal("""{"type":"confirming-registration","intended-recipient":"room"}""", sent.Json);
        Assert.Equal(Host, sent.To);
        Assert.Equal(ServerEndPoint.Address, sent.From);
        var registration = harness.Server.Registrations.Lookup("room").Value;
        Assert.Equal(new Registration("room", Host, EndPoint("127.0.0.1:4001"), ServerEndPoint.Address, TimeSpan.FromSeconds(60), new DateTimeOffset(1, TimeSpan.Zero)), registration);
        Assert.Equal(1, harness.Server.Counters.Registrations);
    }

    [Fact]
    public void SeedSpellingWithFloats_IsConfirmed()
    {
        using var harness = new RendezvousServerHarness();

        // The seed docs' local-ip/local-port, keys in another order, and numbers as Godot writes floats.
        harness.Handle(
            """{"sender":"room","intended-recipient":"","type":"registering-server","local-ip":"192.168.1.10","local-port":4000.0,"seconds-before-expiry":60.0}""",
            Host);

        Assert.Equal(Confirmation("room"), Assert.Single(harness.TakeSent()).Json);
        var registration = harness.Server.Registrations.Lookup("room").Value;
        Assert.Equal(EndPoint("192.168.1.10:4000"), registration.LocalEndPoint);
        Assert.Equal(TimeSpan.FromSeconds(60), registration.Lifetime);
    }

    [Fact]
    public void Registration_ExpiresExactlyAtSecondsBeforeExpiry()
    {
        using var harness = new RendezvousServerHarness();
        harness.Handle(Register("room", seconds: 60), Host);
        var registeredAt = harness.Scheduler.Clock;

        harness.Scheduler.AdvanceTo(registeredAt + TimeSpan.FromSeconds(60).Ticks - 1);
        Assert.True(harness.Server.Registrations.Lookup("room").HasValue);

        harness.Scheduler.AdvanceTo(registeredAt + TimeSpan.FromSeconds(60).Ticks);
        Assert.False(harness.Server.Registrations.Lookup("room").HasValue);
        Assert.Equal(1, harness.Server.Counters.Expirations);
    }

    [Fact]
    public void RefreshFromSameAddress_ConfirmsAndRestartsLifetime()
    {
        using var harness = new RendezvousServerHarness();
        harness.Handle(Register("room", seconds: 60), Host);
        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(45));
        harness.Handle(Register("room", localPort: 4005, seconds: 60), Host);
        var refreshedAt = harness.Scheduler.Clock;

        Assert.Equal([Confirmation("room"), Confirmation("room")], harness.TakeSent().Select(s => s.Json));
        Assert.Equal(EndPoint("10.0.0.2:4005"), harness.Server.Registrations.Lookup("room").Value.LocalEndPoint);

        // Past the first registration's expiry, still there; gone exactly 60 s after the refresh.
        harness.Scheduler.AdvanceTo(refreshedAt + TimeSpan.FromSeconds(60).Ticks - 1);
        Assert.True(harness.Server.Registrations.Lookup("room").HasValue);
        harness.Scheduler.AdvanceTo(refreshedAt + TimeSpan.FromSeconds(60).Ticks);
        Assert.False(harness.Server.Registrations.Lookup("room").HasValue);
        Assert.Equal((1, 1), (harness.Server.Counters.Registrations, harness.Server.Counters.Refreshes));
    }

    [Fact]
    public void SameNameFromAnotherAddress_IsRefusedUntilTheFirstExpires()
    {
        using var harness = new RendezvousServerHarness();
        harness.Handle(Register("room", seconds: 10), Host);
        harness.TakeSent();

        harness.Handle(Register("room", seconds: 10), Other);
        var refusal = Assert.Single(harness.TakeSent());
        Assert.Equal("""{"type":"server-error","message":"server already exists","intended-recipient":"room"}""", refusal.Json);
        Assert.Equal(Other, refusal.To);
        Assert.Equal(Host, harness.Server.Registrations.Lookup("room").Value.GlobalEndPoint);

        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(10));
        harness.Handle(Register("room", seconds: 10), Other);
        Assert.Equal(Confirmation("room"), Assert.Single(harness.TakeSent()).Json);
        Assert.Equal(Other, harness.Server.Registrations.Lookup("room").Value.GlobalEndPoint);
    }

    [Fact]
    public void SameHostFromAnotherPort_IsAnotherAddress()
    {
        using var harness = new RendezvousServerHarness();
        harness.Handle(Register("room"), Host);
        harness.TakeSent();

        harness.Handle(Register("room"), new IPEndPoint(Host.Address, Host.Port + 1));

        Assert.Equal(Error("room", "server already exists"), Assert.Single(harness.TakeSent()).Json);
    }

    [Fact]
    public void MaxRegistrationsReached_NewRoomIsRefusedAndRefreshesAreAccepted()
    {
        using var harness = new RendezvousServerHarness(o => o.MaxRegistrations = 2);
        harness.Handle(Register("a"), EndPoint("203.0.113.1:1000"));
        harness.Handle(Register("b"), EndPoint("203.0.113.2:1000"));
        harness.TakeSent();

        harness.Handle(Register("c"), EndPoint("203.0.113.3:1000"));
        Assert.Equal(Error("c", "server full"), Assert.Single(harness.TakeSent()).Json);

        harness.Handle(Register("a"), EndPoint("203.0.113.1:1000"));
        Assert.Equal(Confirmation("a"), Assert.Single(harness.TakeSent()).Json);
        Assert.Equal(["a", "b"], harness.Server.Registrations.Keys.Order());
    }

    [Fact]
    public void SecondsBeforeExpiryAboveTheMaximum_IsCapped()
    {
        using var harness = new RendezvousServerHarness(o => o.MaxRegistrationLifetime = TimeSpan.FromSeconds(30));
        harness.Handle(Register("room", seconds: 3600), Host);
        var registeredAt = harness.Scheduler.Clock;

        Assert.Equal(TimeSpan.FromSeconds(30), harness.Server.Registrations.Lookup("room").Value.Lifetime);
        harness.Scheduler.AdvanceTo(registeredAt + TimeSpan.FromSeconds(30).Ticks - 1);
        Assert.True(harness.Server.Registrations.Lookup("room").HasValue);
        harness.Scheduler.AdvanceTo(registeredAt + TimeSpan.FromSeconds(30).Ticks);
        Assert.False(harness.Server.Registrations.Lookup("room").HasValue);
    }

    [Fact]
    public void DefaultMaximumLifetime_Caps300Seconds()
    {
        using var harness = new RendezvousServerHarness();
        harness.Handle(Register("room", seconds: int.MaxValue), Host);

        Assert.Equal(TimeSpan.FromSeconds(300), harness.Server.Registrations.Lookup("room").Value.Lifetime);
    }

    [Fact]
    public void Registrations_PublishAddAndExpiryAsChangeSets()
    {
        using var harness = new RendezvousServerHarness();
        var changes = new List<string>();
        using var subscription = harness.Server.Registrations.Connect()
            .Subscribe(set => changes.AddRange(set.Select(c => $"{c.Reason} {c.Key}")));

        harness.Handle(Register("room", seconds: 5), Host);
        harness.Handle(Register("room", seconds: 5), Host);
        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(5));

        Assert.Equal(["Add room", "Update room", "Remove room"], changes);
    }
}
