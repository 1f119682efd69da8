using System.Diagnostics;

namespace Holepunch.Reactive.Benchmarks.Load;

/// <summary>Timing helpers: the harness measures with <see cref="Stopwatch"/> ticks.</summary>
internal static class Stats
{
    public static double Microseconds(long stopwatchTicks) => stopwatchTicks * 1_000_000.0 / Stopwatch.Frequency;

    public static double Seconds(long stopwatchTicks) => stopwatchTicks / (double)Stopwatch.Frequency;

    /// <summary>CPU time of the whole process so far (every thread, user and kernel).</summary>
    public static TimeSpan ProcessorTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    public static long Deadline(TimeSpan duration) => Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);

    /// <summary>The nearest-rank percentile of samples in microseconds.</summary>
    public static double Percentile(List<double> samples, double percentile)
    {
        if (samples.Count == 0)
        {
            return double.NaN;
        }

        samples.Sort();
        var rank = (int)Math.Ceiling(percentile / 100.0 * samples.Count);
        return samples[Math.Clamp(rank - 1, 0, samples.Count - 1)];
    }
}
