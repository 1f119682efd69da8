using System.Net;
using Holepunch.Reactive.Rendezvous;
using Holepunch.Reactive.Testing;
using static Holepunch.Reactive.Tests.Rendezvous.RendezvousServerHarness;

namespace Holepunch.Reactive.Tests.Rendezvous;

/// <summary>NAT probes on the server: answered on the main transport and on the diagnostics transport, each from where it arrived.</summary>
public sealed class RendezvousServerDiagnosticsTests : IDisposable
{
    private static readonly IPEndPoint Prober = EndPoint("198.51.100.7:50000");
    private static readonly IPEndPoint DiagnosticsArrival = EndPoint("192.0.2.1:5161");

    private const string Probe = """{"type":"nat-probe","sender":"me","intended-recipient":"","probe-id":42}""";

    private readonly TestScheduler _scheduler = new();
    private readonly FakeDatagramTransport _main = new();
    private readonly FakeDatagramTransport _diagnostics = new();
    private readonly RendezvousServer _server;

    public RendezvousServerDiagnosticsTests()
    {
        _server = new RendezvousServer(_main, _diagnostics, new RendezvousServerOptions { Scheduler = _scheduler });
        _server.Start();
    }

    [Fact]
    public void ProbeAtTheMainTransport_IsAnsweredThereWithTheObservedSource()
    {
        _main.Push(Probe, Prober, ServerEndPoint);
        _scheduler.AdvanceBy(1);

        var reply = Assert.Single(_main.Sent);
        Assert.Equal("""{"type":"nat-probe-response","probe-id":42,"observed-address":["198.51.100.7",50000],"intended-recipient":"me"}""", reply.Json);
        Assert.Equal((Prober, ServerEndPoint.Address), (reply.To, reply.From));
        Assert.Empty(_diagnostics.Sent);
        Assert.Equal(1, _server.Counters.NatProbesAnswered);
    }

    [Fact]
    public void ProbeAtTheDiagnosticsTransport_IsAnsweredFromTheDiagnosticsTransport()
    {
        var rebound = EndPoint("198.51.100.7:50001");

        _diagnostics.Push(Probe, rebound, DiagnosticsArrival);
        _scheduler.AdvanceBy(1);

        var reply = Assert.Single(_diagnostics.Sent);
        Assert.Equal("""{"type":"nat-probe-response","probe-id":42,"observed-address":["198.51.100.7",50001],"intended-recipient":"me"}""", reply.Json);
        Assert.Equal((rebound, DiagnosticsArrival.Address), (reply.To, reply.From));
        Assert.Empty(_main.Sent);
    }

    [Fact]
    public void ProbeAnswer_IsNeverMoreThanThreeTimesTheProbe()
    {
        const string Smallest = """{"type":"nat-probe","sender":"","probe-id":0}""";

        _diagnostics.Push(Smallest, EndPoint("[2001:db8::1234:5678:9abc:def0]:65535"), DiagnosticsArrival);
        _scheduler.AdvanceBy(1);

        Assert.True(Assert.Single(_diagnostics.Sent).Json.Length <= 3 * Smallest.Length);
    }

    [Theory]
    [InlineData("""{"type":"registering-server","local-address":["10.0.0.2",4001],"seconds-before-expiry":60,"sender":"room","intended-recipient":""}""")]
    [InlineData("""{"type":"requesting-to-join-server","local-address":["10.0.0.2",4001],"server-name":"room","sender":"j","intended-recipient":""}""")]
    [InlineData("""{"type":"relay-datagram","relay-token":"t","sender":"room","intended-recipient":"","payload":{}}""")]
    [InlineData("""{"type":"registering-server","sender":"room"}""")]
    public void AnythingButAProbeAtTheDiagnosticsTransport_IsDroppedUnanswered(string datagram)
    {
        _diagnostics.Push(datagram, Prober, DiagnosticsArrival);
        _scheduler.AdvanceBy(1);

        Assert.Empty(_diagnostics.Sent);
        Assert.Empty(_main.Sent);
        Assert.Equal(1, _server.Counters.Dropped(RendezvousDropReason.NotARequest));
        Assert.Empty(_server.Registrations.Items);
    }

    [Fact]
    public void DiagnosticsEndPoint_IsTheDiagnosticsTransports()
    {
        using var plain = new RendezvousServer(new FakeDatagramTransport(), new RendezvousServerOptions { Scheduler = _scheduler });

        Assert.Equal(_diagnostics.LocalEndPoint, _server.DiagnosticsEndPoint);
        Assert.Null(plain.DiagnosticsEndPoint);
    }

    [Fact]
    public void TheSameTransportTwice_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => new RendezvousServer(_main, _main));
    }

    [Fact]
    public void Completion_WaitsForBothTransports()
    {
        _main.Complete();
        _scheduler.AdvanceBy(1);
        Assert.False(_server.Completion.IsCompleted);

        _diagnostics.Complete();
        _scheduler.AdvanceBy(1);

        Assert.True(_server.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public void DiagnosticsTransportFailing_FaultsTheServer()
    {
        _diagnostics.Fail(new InvalidOperationException("boom"));
        _scheduler.AdvanceBy(1);

        Assert.Equal("boom", _server.Completion.Exception!.InnerException!.Message);
    }

    public void Dispose()
    {
        _server.Dispose();
        _scheduler.AdvanceBy(1);
        _main.Dispose();
        _diagnostics.Dispose();
    }
}
