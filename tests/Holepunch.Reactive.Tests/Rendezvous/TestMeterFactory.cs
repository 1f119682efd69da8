using System.Diagnostics.Metrics;

namespace Holepunch.Reactive.Tests.Rendezvous;

/// <summary>An <see cref="IMeterFactory"/> whose meters a test can listen to alone, whatever runs in parallel.</summary>
internal sealed class TestMeterFactory : IMeterFactory
{
    public List<Meter> Meters { get; } = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
        Meters.Add(meter);
        return meter;
    }

    public void Dispose()
    {
        foreach (var meter in Meters)
        {
            meter.Dispose();
        }

        Meters.Clear();
    }
}
