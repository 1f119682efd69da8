using System.Net;
using System.Text;
using System.Text.Json;
using Holepunch.Reactive.Rendezvous;
using static Holepunch.Reactive.Tests.Rendezvous.RendezvousServerHarness;

namespace Holepunch.Reactive.Tests.Rendezvous;

/// <summary>The relay extension on the server: tokens at introduction, forwarding, refusals, caps, bandwidth and expiry.</summary>
public sealed class RendezvousServerRelayTests
{
    private static readonly IPEndPoint Host = EndPoint("203.0.113.5:40000");
    private static readonly IPEndPoint Joiner = EndPoint("198.51.100.7:50000");
    private static readonly IPEndPoint HostArrival = EndPoint("192.0.2.1:5160");
    private static readonly IPEndPoint JoinerArrival = EndPoint("192.0.2.2:5160");

    private const string PeerCheck = """{"type":"peer-check","sender":"room","intended-recipient":"joiner"}""";

    [Fact]
    public void BothSidesRelayCapable_BothIntroductionsCarryTheSameTokenAndTheOtherSidesCapabilities()
    {
        using var harness = new RendezvousServerHarness();

        var (toHost, toJoiner) = Introduce(harness, hostCapabilities: """["relay","x-host"]""", joinerCapabilities: """["relay"]""");

        var token = TokenOf(toHost);
        Assert.Equal(22, token!.Length);
        Assert.Matches("^[A-Za-z0-9_-]{22}$", token);
        Assert.Equal(token, TokenOf(toJoiner));
        Assert.Equal(["relay"], PeerCapabilitiesOf(toHost)!);
        Assert.Equal(["relay", "x-host"], PeerCapabilitiesOf(toJoiner)!);
        Assert.EndsWith($$""","intended-recipient":"room","peer-capabilities":["relay"],"relay-token":"{{token}}"}""", toHost.Json, StringComparison.Ordinal);
        Assert.Equal((1, 1L), (harness.Server.Counters.Relay.Opened, harness.Server.Counters.Relay.Active));
    }

    [Fact]
    public void TwoIntroductions_GetDifferentTokens()
    {
        using var harness = new RendezvousServerHarness();

        var first = TokenOf(Introduce(harness).ToHost);
        harness.Handle(JoinWith("other", "room", """["relay"]"""), EndPoint("198.51.100.8:50000"));
        var second = TokenOf(Assert.Single(harness.TakeSent(), s => s.To.Equals(Host)));

        Assert.NotNull(second);
        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData(null, """["relay"]""")]
    [InlineData("""["relay"]""", null)]
    [InlineData("""["relay"]""", """["x"]""")]
    [InlineData("""[]""", """["relay"]""")]
    [InlineData("""{"relay":true}""", """["relay"]""")]
    public void OneSideNotRelayCapable_NoToken(string? hostCapabilities, string? joinerCapabilities)
    {
        using var harness = new RendezvousServerHarness();

        var (toHost, toJoiner) = Introduce(harness, hostCapabilities, joinerCapabilities);

        Assert.Null(TokenOf(toHost));
        Assert.Null(TokenOf(toJoiner));
        Assert.Equal(0, harness.Server.Counters.Relay.Opened);
        Assert.Equal(0, harness.Server.Counters.Relay.TotalRefused);
    }

    [Fact]
    public void GodotHostAndRelayJoiner_TheHostIsToldTheJoinersCapabilities_TheJoinerNothing()
    {
        using var harness = new RendezvousServerHarness();

        var (toHost, toJoiner) = Introduce(harness, hostCapabilities: null, joinerCapabilities: """["relay"]""");

        Assert.Equal(["relay"], PeerCapabilitiesOf(toHost)!);
        Assert.Equal(
            """{"type":"providing-peer-handshake-info","peer-name":"room","global-address":["203.0.113.5",40000],"local-address":["10.0.0.2",4001],"intended-recipient":"joiner"}""",
            toJoiner.Json);
    }

    [Fact]
    public void RelayDisabled_NoToken()
    {
        using var harness = new RendezvousServerHarness(o => o.Relay.Enabled = false);

        var (toHost, toJoiner) = Introduce(harness);

        Assert.Null(TokenOf(toHost));
        Assert.Null(TokenOf(toJoiner));
    }

    [Fact]
    public void HostCapabilities_AreBoundedBeforeTheyAreEchoed()
    {
        using var harness = new RendezvousServerHarness();
        var many = "[" + string.Join(",", Enumerable.Range(0, 20).Select(i => $"\"c{i}\"")) + $",\"{new string('x', 40)}\",\"\"]";

        var (_, toJoiner) = Introduce(harness, hostCapabilities: many, joinerCapabilities: """["relay"]""");

        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"c{i}"), PeerCapabilitiesOf(toJoiner)!);
    }

    [Fact]
    public void RelayDatagrams_AreForwardedBothWays_WithTheRecipientFilledInAndThePayloadByteForByte()
    {
        using var harness = new RendezvousServerHarness();
        var token = TokenOf(Introduce(harness).ToHost)!;
        const string Payload = """{ "message" : {"k":["\u00e9",4000.0]}, "message-id":1,"type":"reliable-peer-message","sender":"room","intended-recipient":"joiner" }""";

        harness.Handle(Relay(token, "room", Payload), Host, at: HostArrival);
        var toJoiner = Assert.Single(harness.TakeSent());
        harness.Handle(Relay(token, "joiner", PeerCheck), Joiner, at: JoinerArrival);
        var toHost = Assert.Single(harness.TakeSent());

        Assert.Equal(
            $$"""{"type":"relay-datagram","relay-token":"{{token}}","sender":"room","intended-recipient":"joiner","payload":{{Payload}}}""",
            toJoiner.Json);
        Assert.Equal((Joiner, JoinerArrival.Address), (toJoiner.To, toJoiner.From));
        Assert.Equal(
            $$"""{"type":"relay-datagram","relay-token":"{{token}}","sender":"joiner","intended-recipient":"room","payload":{{PeerCheck}}}""",
            toHost.Json);
        Assert.Equal((Host, HostArrival.Address), (toHost.To, toHost.From));
        Assert.Equal(2, harness.Server.Counters.Relay.DatagramsRelayed);
        Assert.Equal(Encoding.UTF8.GetByteCount(toJoiner.Json) + Encoding.UTF8.GetByteCount(toHost.Json), harness.Server.Counters.Relay.BytesRelayed);
    }

    [Fact]
    public void RelayDatagram_IsForwardedFromTheServerAddressTheOtherSideLastUsed()
    {
        using var harness = new RendezvousServerHarness();
        var token = TokenOf(Introduce(harness).ToHost)!;
        var elsewhere = EndPoint("192.0.2.9:5160");

        harness.Handle(Relay(token, "joiner", PeerCheck), Joiner, at: elsewhere);
        harness.TakeSent();
        harness.Handle(Relay(token, "room", PeerCheck), Host, at: HostArrival);

        Assert.Equal(elsewhere.Address, Assert.Single(harness.TakeSent()).From);
    }

    [Theory]
    [InlineData("203.0.113.5:40001", "room")]
    [InlineData("203.0.113.66:40000", "room")]
    [InlineData("203.0.113.5:40000", "joiner")]
    [InlineData("203.0.113.5:40000", "someone")]
    public void RelayDatagramFromAnotherEndPointOrName_IsNotForwarded_AndIsToldUnknownRelay(string source, string sender)
    {
        using var harness = new RendezvousServerHarness();
        var token = TokenOf(Introduce(harness).ToHost)!;

        harness.Handle(Relay(token, sender, PeerCheck), EndPoint(source), at: HostArrival);

        var refusal = Assert.Single(harness.TakeSent());
        Assert.Equal(EndPoint(source), refusal.To);
        Assert.Equal($$"""{"type":"relay-refused","relay-token":"{{token}}","message":"unknown relay","intended-recipient":"{{sender}}"}""", refusal.Json);
        Assert.Equal(1, harness.Server.Counters.Relay.Refused(RelayRefusalReason.WrongSource));
        Assert.Equal(0, harness.Server.Counters.Relay.DatagramsRelayed);
    }

    [Fact]
    public void SpoofedRelayDatagrams_DoNotKeepTheRelayAlive()
    {
        using var harness = new RendezvousServerHarness();
        var token = TokenOf(Introduce(harness).ToHost)!;

        for (var i = 0; i < 7; i++)
        {
            harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(10));
            harness.Handle(Relay(token, "room", PeerCheck), EndPoint("203.0.113.66:40000"));
        }

        Assert.Equal(1, harness.Server.Counters.Relay.Closed);
    }

    [Fact]
    public void UnknownToken_IsToldUnknownRelay()
    {
        using var harness = new RendezvousServerHarness();

        harness.Handle(Relay("nope", "room", PeerCheck), Host, at: HostArrival);

        var refusal = Assert.Single(harness.TakeSent());
        Assert.Equal("""{"type":"relay-refused","relay-token":"nope","message":"unknown relay","intended-recipient":"room"}""", refusal.Json);
        Assert.Equal((Host, HostArrival.Address), (refusal.To, refusal.From));
        Assert.Equal(1, harness.Server.Counters.Relay.Refused(RelayRefusalReason.UnknownRelay));
        Assert.Equal(0, harness.Server.Counters.ErrorsSent);
    }

    [Fact]
    public void IdleRelay_ClosesAfterTheIdleTimeout_AndALateDatagramIsToldRelayExpired()
    {
        using var harness = new RendezvousServerHarness(o => o.Relay.IdleTimeout = TimeSpan.FromSeconds(60));
        var token = TokenOf(Introduce(harness).ToHost)!;

        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(59));
        Assert.Equal(0, harness.Server.Counters.Relay.Closed);
        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(1));
        harness.Handle(Relay(token, "room", PeerCheck), Host);

        Assert.Equal((1, 0L), (harness.Server.Counters.Relay.Closed, harness.Server.Counters.Relay.Active));
        var refusal = Assert.Single(harness.TakeSent());
        Assert.Equal($$"""{"type":"relay-refused","relay-token":"{{token}}","message":"relay expired","intended-recipient":"room"}""", refusal.Json);
        Assert.Equal(1, harness.Server.Counters.Relay.Refused(RelayRefusalReason.RelayExpired));
    }

    [Fact]
    public void RelayInUse_StaysOpenPastTheIdleTimeout_UntilTheMaximumDuration()
    {
        using var harness = new RendezvousServerHarness(o =>
        {
            o.Relay.IdleTimeout = TimeSpan.FromSeconds(10);
            o.Relay.MaxDuration = TimeSpan.FromSeconds(35);
        });
        var token = TokenOf(Introduce(harness).ToHost)!;

        var forwarded = 0;
        for (var second = 0; second < 40; second += 5)
        {
            harness.Handle(Relay(token, second % 10 == 0 ? "room" : "joiner", PeerCheck), second % 10 == 0 ? Host : Joiner);
            forwarded += harness.TakeSent().Count(s => s.Json.StartsWith("{\"type\":\"relay-datagram\"", StringComparison.Ordinal));
            harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(5) - TimeSpan.FromTicks(1));
        }

        Assert.Equal(7, forwarded); // at 0, 5, ..., 30 s; not at 35 s
        Assert.Equal(1, harness.Server.Counters.Relay.Closed);
        Assert.Equal(1, harness.Server.Counters.Relay.Refused(RelayRefusalReason.RelayExpired));
    }

    [Fact]
    public void ReintroducedPair_KeepsItsRelayAndToken()
    {
        using var harness = new RendezvousServerHarness(o => o.Relay.IdleTimeout = TimeSpan.FromSeconds(60));
        var first = TokenOf(Introduce(harness).ToHost);

        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(50));
        harness.Handle(JoinWith("joiner", "room", """["relay"]"""), Joiner);
        var again = TokenOf(Assert.Single(harness.TakeSent(), s => s.To.Equals(Joiner)));
        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(50));

        Assert.Equal(first, again);
        Assert.Equal((1, 0), (harness.Server.Counters.Relay.Opened, harness.Server.Counters.Relay.Closed));
    }

    [Fact]
    public void ServerWideCapReached_TheNextIntroductionHasNoToken_CountedAsRelayFull()
    {
        using var harness = new RendezvousServerHarness(o => o.Relay.MaxRelays = 1);
        Assert.NotNull(TokenOf(Introduce(harness).ToHost));

        harness.Handle(JoinWith("other", "room", """["relay"]"""), EndPoint("198.51.100.8:50000"));

        Assert.All(harness.TakeSent(), s => Assert.Null(TokenOf(s)));
        Assert.Equal(1, harness.Server.Counters.Relay.Refused(RelayRefusalReason.RelayFull));
        Assert.Equal(2, harness.Server.Counters.Joins);
    }

    [Fact]
    public void ServerWideCap_FreesWhenARelayCloses()
    {
        using var harness = new RendezvousServerHarness(o =>
        {
            o.Relay.MaxRelays = 1;
            o.Relay.IdleTimeout = TimeSpan.FromSeconds(5);
            o.MaxRegistrationLifetime = TimeSpan.FromSeconds(300);
        });
        Introduce(harness);
        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(5));

        harness.Handle(JoinWith("other", "room", """["relay"]"""), EndPoint("198.51.100.8:50000"));

        Assert.All(harness.TakeSent(), s => Assert.NotNull(TokenOf(s)));
    }

    [Fact]
    public void PerAddressCapReached_NoTokenForAnotherRelayOfThatAddress()
    {
        using var harness = new RendezvousServerHarness(o => o.Relay.MaxRelaysPerAddress = 2);
        Introduce(harness);
        harness.Handle(JoinWith("second", "room", """["relay"]"""), EndPoint("198.51.100.7:50001"));
        Assert.All(harness.TakeSent(), s => Assert.NotNull(TokenOf(s)));

        // 198.51.100.7 has two relays now; the host's address too, so nobody else gets one with this host either.
        harness.Handle(JoinWith("third", "room", """["relay"]"""), EndPoint("198.51.100.7:50002"));
        harness.Handle(JoinWith("fourth", "room", """["relay"]"""), EndPoint("198.51.100.99:50000"));

        Assert.All(harness.TakeSent(), s => Assert.Null(TokenOf(s)));
        Assert.Equal(2, harness.Server.Counters.Relay.Refused(RelayRefusalReason.RelayFull));
    }

    [Fact]
    public void BandwidthCap_DropsTheExcess_AndRecoversAfterRefill()
    {
        using var harness = new RendezvousServerHarness(o =>
        {
            o.MaxDatagramSize = 744;
            o.Relay.BytesPerSecond = 1000;
            o.Relay.BurstBytes = 1000;
        });
        var token = TokenOf(Introduce(harness).ToHost)!;
        var size = Encoding.UTF8.GetByteCount(
            $$"""{"type":"relay-datagram","relay-token":"{{token}}","sender":"room","intended-recipient":"joiner","payload":{{PeerCheck}}}""");

        for (var i = 0; i < 20; i++)
        {
            harness.Receive(Relay(token, "room", PeerCheck), Host);
        }

        harness.Run();
        var burst = harness.TakeSent();
        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(1));
        for (var i = 0; i < 20; i++)
        {
            harness.Receive(Relay(token, "room", PeerCheck), Host);
        }

        harness.Run();
        var refilled = harness.TakeSent();

        Assert.Equal(1000 / size, burst.Count(s => s.To.Equals(Joiner)));
        Assert.Equal(
            """{"type":"relay-refused","relay-token":"TOKEN","message":"relay bandwidth exceeded","intended-recipient":"room"}""".Replace("TOKEN", token, StringComparison.Ordinal),
            Assert.Single(burst, s => s.To.Equals(Host)).Json);
        Assert.InRange(refilled.Count(s => s.To.Equals(Joiner)), (1000 / size) - 1, (1000 / size) + 1);
        Assert.Single(refilled, s => s.To.Equals(Host));
        Assert.Equal(40 - harness.Server.Counters.Relay.DatagramsRelayed, harness.Server.Counters.Relay.Refused(RelayRefusalReason.BandwidthExceeded));
    }

    [Fact]
    public void BandwidthCap_IsPerDirection()
    {
        using var harness = new RendezvousServerHarness(o =>
        {
            o.MaxDatagramSize = 744;
            o.Relay.BytesPerSecond = 1000;
            o.Relay.BurstBytes = 1000;
        });
        var token = TokenOf(Introduce(harness).ToHost)!;
        for (var i = 0; i < 20; i++)
        {
            harness.Receive(Relay(token, "room", PeerCheck), Host);
        }

        harness.Run();
        harness.TakeSent();

        harness.Handle(Relay(token, "joiner", PeerCheck), Joiner);

        Assert.Equal(Host, Assert.Single(harness.TakeSent()).To);
    }

    [Fact]
    public void Refusals_AreSentAtMostOnceASecondPerSource()
    {
        using var harness = new RendezvousServerHarness();

        for (var i = 0; i < 5; i++)
        {
            harness.Receive(Relay("nope", "room", PeerCheck), Host);
        }

        harness.Run();
        var first = harness.TakeSent().Length;
        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(1));
        harness.Handle(Relay("nope", "room", PeerCheck), Host);
        harness.Handle(Relay("nope", "joiner", PeerCheck), Joiner);

        Assert.Equal(1, first);
        Assert.Equal(2, harness.TakeSent().Length);
        Assert.Equal(7, harness.Server.Counters.Relay.Refused(RelayRefusalReason.UnknownRelay));
        Assert.Equal(3, harness.Server.Counters.Relay.RefusalsSent);
    }

    [Fact]
    public void RelayDatagramsFromARelaySide_AreNotHeldToTheRequestRateLimit()
    {
        using var harness = new RendezvousServerHarness(o =>
        {
            o.SourceTokenLimit = 5;
            o.SourceTokensPerPeriod = 1;
        });
        var token = TokenOf(Introduce(harness).ToHost)!;

        for (var i = 0; i < 50; i++)
        {
            harness.Receive(Relay(token, "room", PeerCheck), Host);
        }

        harness.Run();

        Assert.Equal(50, harness.TakeSent().Length);
        Assert.Equal(0, harness.Server.Counters.Dropped(RendezvousDropReason.RateLimited));
    }

    [Fact]
    public void OtherTrafficFromARelaySide_IsStillRateLimited()
    {
        using var harness = new RendezvousServerHarness(o =>
        {
            o.SourceTokenLimit = 5;
            o.SourceTokensPerPeriod = 1;
        });
        Introduce(harness);

        for (var i = 0; i < 10; i++)
        {
            harness.Receive(RegisterWith("room", """["relay"]"""), Host);
        }

        harness.Run();

        Assert.True(harness.Server.Counters.Dropped(RendezvousDropReason.RateLimited) >= 5);
    }

    [Theory]
    [InlineData("""{"type":"relay-datagram","relay-token":"t","sender":"room","payload":[1]}""")]
    [InlineData("""{"type":"relay-datagram","sender":"room","payload":{}}""")]
    [InlineData("""{"type":"relay-datagram","relay-token":"t","payload":{}}""")]
    [InlineData("""{"type":"nat-probe","sender":"room","probe-id":-1}""")]
    public void MalformedExtensionMessage_IsDroppedWithoutAServerError(string datagram)
    {
        using var harness = new RendezvousServerHarness();

        harness.Handle(datagram, Host);

        Assert.Empty(harness.TakeSent());
        Assert.Equal(1, harness.Server.Counters.Dropped(RendezvousDropReason.InvalidExtensionMessage));
    }

    [Fact]
    public void RelayRefusedSentToTheServer_IsDroppedAsNotARequest()
    {
        using var harness = new RendezvousServerHarness();

        harness.Handle("""{"type":"relay-refused","relay-token":"t","message":"unknown relay","intended-recipient":"room"}""", Host);

        Assert.Empty(harness.TakeSent());
        Assert.Equal(1, harness.Server.Counters.Dropped(RendezvousDropReason.NotARequest));
    }

    [Fact]
    public void Dispose_WithOpenRelays_ReleasesThem()
    {
        var harness = new RendezvousServerHarness();
        Introduce(harness);

        harness.Dispose();
        harness.Scheduler.AdvanceBy(TimeSpan.FromMinutes(5));

        Assert.True(harness.Server.Completion.IsCompletedSuccessfully);
        Assert.Equal(0, harness.Server.Counters.Relay.Closed);
    }

    [Fact]
    public void RelayEvents_ArePublishedOnTheRendezvousMeter()
    {
        using var meterFactory = new TestMeterFactory();
        var measurements = new List<(string Instrument, long Value, string? Tag)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (meterFactory.Meters.Contains(instrument.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            measurements.Add((instrument.Name, value, tags.Length > 0 ? $"{tags[0].Key}={tags[0].Value}" : null)));
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => measurements.Add((instrument.Name, value, null)));
        listener.Start();
        using var harness = new RendezvousServerHarness(o => o.Relay.IdleTimeout = TimeSpan.FromSeconds(10), meterFactory);
        var token = TokenOf(Introduce(harness).ToHost)!;

        harness.Handle(Relay(token, "room", PeerCheck), Host);
        harness.Handle(Relay("nope", "room", PeerCheck), Joiner);
        harness.Handle("""{"type":"nat-probe","sender":"me","intended-recipient":"","probe-id":1}""", Joiner);
        listener.RecordObservableInstruments();
        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(10));
        listener.RecordObservableInstruments();

        long Sum(string name, string? tag = null) => measurements.Where(m => m.Instrument == name && (tag is null || m.Tag == tag)).Sum(m => m.Value);
        Assert.Equal(1, Sum("holepunch.rendezvous.relay.opened"));
        Assert.Equal(1, Sum("holepunch.rendezvous.relay.datagrams"));
        Assert.Equal(Encoding.UTF8.GetByteCount(Relay(token, "room", PeerCheck)) + "joiner".Length, Sum("holepunch.rendezvous.relay.bytes"));
        Assert.Equal(1, Sum("holepunch.rendezvous.relay.refused", "reason=unknown-relay"));
        Assert.Equal(1, Sum("holepunch.rendezvous.relay.closed", "reason=idle"));
        Assert.Equal(1, Sum("holepunch.rendezvous.nat_probes"));
        Assert.Equal(
            [1, 0],
            measurements.Where(m => m.Instrument == "holepunch.rendezvous.relay.active").Select(m => m.Value));
    }

    internal static (SentDatagram ToHost, SentDatagram ToJoiner) Introduce(
        RendezvousServerHarness harness, string? hostCapabilities = """["relay"]""", string? joinerCapabilities = """["relay"]""")
    {
        harness.Handle(RegisterWith("room", hostCapabilities), Host, at: HostArrival);
        harness.TakeSent();
        harness.Handle(JoinWith("joiner", "room", joinerCapabilities), Joiner, at: JoinerArrival);
        var sent = harness.TakeSent();
        Assert.Equal(2, sent.Length);
        return (Assert.Single(sent, s => s.To.Equals(Host)), Assert.Single(sent, s => s.To.Equals(Joiner)));
    }

    internal static string RegisterWith(string room, string? capabilities) =>
        Register(room)[..^1] + (capabilities is null ? "" : $",\"capabilities\":{capabilities},\"protocol-version\":1") + "}";

    internal static string JoinWith(string joiner, string room, string? capabilities) =>
        Join(joiner, room)[..^1] + (capabilities is null ? "" : $",\"capabilities\":{capabilities},\"protocol-version\":1") + "}";

    internal static string Relay(string token, string sender, string payload) =>
        $$"""{"type":"relay-datagram","relay-token":"{{token}}","sender":"{{sender}}","intended-recipient":"","payload":{{payload}}}""";

    internal static string? TokenOf(SentDatagram sent)
    {
        using var document = JsonDocument.Parse(sent.Json);
        return document.RootElement.TryGetProperty("relay-token", out var token) ? token.GetString() : null;
    }

    private static string[]? PeerCapabilitiesOf(SentDatagram sent)
    {
        using var document = JsonDocument.Parse(sent.Json);
        return document.RootElement.TryGetProperty("peer-capabilities", out var list)
            ? [.. list.EnumerateArray().Select(e => e.GetString()!)]
            : null;
    }
}
