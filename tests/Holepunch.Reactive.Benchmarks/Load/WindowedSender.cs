using System.Diagnostics;

namespace Holepunch.Reactive.Benchmarks.Load;

/// <summary>
/// Sends as fast as the receiver takes messages: at most <c>window</c> messages sent but not yet received, so no queue
/// grows without bound; a stall of 20 ms (a loss) forgives what is outstanding. Measures the receiver's rate after a
/// 200 ms warm-up, and the process CPU time per message received (all threads, both sides).
/// </summary>
internal static class WindowedSender
{
    /// <summary>
    /// The window for one message a datagram: 128 small datagrams stay within Linux's default socket receive buffer
    /// (each costs about 1 KB of it), so the window measures the receiver rather than the kernel's drops.
    /// </summary>
    public const int DatagramWindow = 128;

    public static (double Rate, double Loss, double CpuMicroseconds) Run(Action send, Func<long> received, int window, TimeSpan duration)
    {
        var stallTicks = Stopwatch.Frequency / 50;
        long sent = 0;
        long forgiven = 0;
        var warmupEnd = Stats.Deadline(TimeSpan.FromMilliseconds(200));
        var end = Stats.Deadline(duration + TimeSpan.FromMilliseconds(200));
        long r0 = 0, s0 = 0, t0 = 0;
        var cpu0 = TimeSpan.Zero;
        var measuring = false;
        while (true)
        {
            var now = Stopwatch.GetTimestamp();
            if (!measuring && now >= warmupEnd)
            {
                (measuring, r0, s0, t0, cpu0) = (true, received(), sent, now, Stats.ProcessorTime());
            }

            if (now >= end)
            {
                break;
            }

            for (var i = 0; i < 64; i++)
            {
                send();
            }

            sent += 64;
            var last = received();
            var since = Stopwatch.GetTimestamp();
            while (sent - forgiven - received() > window)
            {
                var current = received();
                if (current != last)
                {
                    (last, since) = (current, Stopwatch.GetTimestamp());
                }
                else if (Stopwatch.GetTimestamp() - since > stallTicks)
                {
                    forgiven = sent - current;
                    break;
                }

                Thread.Yield();
            }
        }

        var (r1, s1, t1, cpu1) = (received(), sent, Stopwatch.GetTimestamp(), Stats.ProcessorTime());
        Thread.Sleep(100);
        var delivered = r1 - r0;
        var lateTotal = received() - r0;
        return (
            delivered / Stats.Seconds(t1 - t0),
            Math.Max(0, 1 - (lateTotal / (double)Math.Max(1, s1 - s0))),
            (cpu1 - cpu0).TotalMicroseconds / Math.Max(1, delivered));
    }
}
