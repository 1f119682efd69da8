using System.Diagnostics;

namespace Holepunch.Reactive.Benchmarks.Load;

/// <summary>
/// Sends as fast as the receiver takes messages: at most <c>window</c> messages sent but not yet received, so no queue
/// grows without bound. The sender fills the window, then sleeps until half of it has been received (never spinning:
/// on 2 cores a spinning sender takes CPU from what it measures); a stall of 20 ms (a loss) forgives what is
/// outstanding. Measures the receiver's rate after a 200 ms warm-up, and the process CPU time per message received
/// (all threads, both sides).
/// </summary>
internal static class WindowedSender
{
    /// <summary>
    /// The window for one message a datagram: 128 small datagrams stay within Linux's default socket receive buffer
    /// (each costs about 1 KB of it), so the window measures the receiver rather than the kernel's drops.
    /// </summary>
    public const int DatagramWindow = 128;

    public static (double Rate, double Loss, double CpuMicroseconds) Run(Action send, DeliveryCounter received, int window, TimeSpan duration)
    {
        var stallTicks = Stopwatch.Frequency / 50;
        // Counted from what the counter holds already (a warm-up run may have used it): nothing is outstanding yet.
        var sent = received.Count;
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
                (measuring, r0, s0, t0, cpu0) = (true, received.Count, sent, now, Stats.ProcessorTime());
            }

            if (now >= end)
            {
                break;
            }

            var room = window - (sent - forgiven - received.Count);
            for (var i = 0; i < room; i++)
            {
                send();
            }

            sent += Math.Max(0, room);

            // Wait for half the window; bounded: every pass either sees progress or comes nearer to the stall.
            var target = sent - forgiven - (window / 2);
            var last = received.Count;
            var since = Stopwatch.GetTimestamp();
            while (!received.WaitFor(target, TimeSpan.FromTicks(TimeSpan.TicksPerMillisecond * 20)))
            {
                var current = received.Count;
                if (current != last)
                {
                    (last, since) = (current, Stopwatch.GetTimestamp());
                }
                else if (Stopwatch.GetTimestamp() - since > stallTicks)
                {
                    forgiven = sent - current;
                    break;
                }
            }
        }

        var (r1, s1, t1, cpu1) = (received.Count, sent, Stopwatch.GetTimestamp(), Stats.ProcessorTime());
        Thread.Sleep(100);
        var delivered = r1 - r0;
        var lateTotal = received.Count - r0;
        return (
            delivered / Stats.Seconds(t1 - t0),
            Math.Max(0, 1 - (lateTotal / (double)Math.Max(1, s1 - s0))),
            (cpu1 - cpu0).TotalMicroseconds / Math.Max(1, delivered));
    }
}
