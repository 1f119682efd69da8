using System.Diagnostics.Metrics;
using System.Net;
using Holepunch.Reactive.Rendezvous;
using static Holepunch.Reactive.Tests.Rendezvous.RendezvousServerHarness;

namespace Holepunch.Reactive.Tests.Rendezvous;

public sealed class RendezvousServerMetricsTests
{
    private static readonly IPEndPoint Host = EndPoint("203.0.113.5:40000");
    private static readonly IPEndPoint Joiner = EndPoint("198.51.100.7:50000");

    [Fact]
    public void ServerEvents_ArePublishedOnTheRendezvousMeter()
    {
        using var meterFactory = new TestMeterFactory();
        var measurements = new List<(string Instrument, long Value, string? Tag)>();
        using var listener = new MeterListener();
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
        using var harness = new RendezvousServerHarness(o => o.SourceTokenLimit = 4, meterFactory);

        harness.Handle(Register("room", seconds: 5), Host);
        harness.Handle(Register("room", seconds: 5), Host);
        harness.Handle(Join("joiner", "room"), Joiner);
        harness.Handle(Join("joiner", "lobby"), Joiner);
        harness.Handle("""{"type":"peer-check","sender":"a","intended-recipient":"b"}""", Joiner);
        harness.Handle("{}", Host);
        harness.Handle("{}", Host);
        harness.Handle("{}", Host); // the fifth from Host: over its limit of four
        listener.RecordObservableInstruments();
        harness.Scheduler.AdvanceBy(TimeSpan.FromSeconds(5));
        listener.RecordObservableInstruments();

        Assert.Equal(RendezvousServer.MeterName, MeterNameOf(meterFactory));
        Assert.Equal(8, Sum(measurements, "holepunch.rendezvous.datagrams.received"));
        Assert.Equal(5, Sum(measurements, "holepunch.rendezvous.datagrams.sent"));
        Assert.Equal(1, Sum(measurements, "holepunch.rendezvous.registrations.created"));
        Assert.Equal(1, Sum(measurements, "holepunch.rendezvous.registrations.refreshed"));
        Assert.Equal(1, Sum(measurements, "holepunch.rendezvous.registrations.expired"));
        Assert.Equal(1, Sum(measurements, "holepunch.rendezvous.joins"));
        Assert.Equal(1, Sum(measurements, "holepunch.rendezvous.server_errors", "error=not-found"));
        Assert.Equal(1, Sum(measurements, "holepunch.rendezvous.datagrams.dropped", "reason=not-a-request"));
        Assert.Equal(2, Sum(measurements, "holepunch.rendezvous.datagrams.dropped", "reason=missing-type"));
        Assert.Equal(1, Sum(measurements, "holepunch.rendezvous.datagrams.dropped", "reason=rate-limited"));
        Assert.Equal(
            [1, 0],
            measurements.Where(m => m.Instrument == "holepunch.rendezvous.registrations.active").Select(m => m.Value));
    }

    private static string MeterNameOf(TestMeterFactory factory) => Assert.Single(factory.Meters).Name;

    private static long Sum(List<(string Instrument, long Value, string? Tag)> measurements, string instrument, string? tag = null) =>
        measurements.Where(m => m.Instrument == instrument && (tag is null || m.Tag == tag)).Sum(m => m.Value);
}
