using System.Diagnostics;
using System.Text.Json;
using Holepunch.Reactive.Peers;

namespace Holepunch.Reactive.Benchmarks.Load;

/// <summary>
/// Our stack end to end: two <see cref="HolepunchClient"/>s on 127.0.0.1, connected through a rendezvous server;
/// the joiner sends to the host. A user message of N bytes is a JSON value of N bytes (the datagram adds the envelope).
/// </summary>
internal static class HolepunchCases
{
    private const int UnreliableWindow = WindowedSender.DatagramWindow;
    // The same window LiteNetLib's cases get (LiteNetLibCases.Window): between our clients messages travel in batches
    // too, so 1,024 unacknowledged messages are still only a hundred or so datagrams in flight.
    private const int ReliableWindow = 1024;

    public static async Task<IReadOnlyList<CaseResult>> RunAsync(LoadOptions options)
    {
        var results = new List<CaseResult>();
        await using (var pair = await HolepunchPair.ConnectAsync(ordered: true).ConfigureAwait(false))
        {
            // Warm up the JIT (tiered compilation takes longer than a case's own 200 ms warm-up) before the first case.
            await Task.Run(() => Unreliable(pair, 64, TimeSpan.FromSeconds(1))).ConfigureAwait(false);
            await Task.Run(() => Reliable(pair, 64, TimeSpan.FromSeconds(1))).ConfigureAwait(false);
            foreach (var size in (int[])[64, 512])
            {
                var (rate, loss, cpu) = await Task.Run(() => Unreliable(pair, size, options.CaseDuration)).ConfigureAwait(false);
                results.Add(new($"unreliable-{size}", Math.Round(rate), "msg/s", $"raw-oneway-{size}", null) { Note = $"received by the host, {loss:P1} lost, {cpu:0.0} µs CPU/msg" });
            }

            var (reliable, reliableCpu) = await Task.Run(() => Reliable(pair, 64, options.CaseDuration)).ConfigureAwait(false);
            results.Add(new("reliable-64", Math.Round(reliable), "msg/s", "litenetlib-reliable-64", null) { Note = $"acknowledged, in order, window {ReliableWindow}, {reliableCpu:0.0} µs CPU/msg" });

            var (p50, p99, count) = await Task.Run(() => ReliableRoundTrip(pair, 64, options.CaseDuration)).ConfigureAwait(false);
            results.Add(new("reliable-rtt-p50", Math.Round(p50, 1), "µs", "raw-rtt-p50", null) { Note = $"send to acknowledgement, {count:N0} messages" });
            results.Add(new("reliable-rtt-p99", Math.Round(p99, 1), "µs", "raw-rtt-p99", null));
        }

        // One message a datagram (BatchPeerMessages = false, what a Godot peer gets), sealed: the per-datagram cost.
        await using (var single = await HolepunchPair.ConnectAsync(ordered: true, batch: false).ConfigureAwait(false))
        {
            await Task.Run(() => Unreliable(single, 64, TimeSpan.FromSeconds(1))).ConfigureAwait(false);
            var (rate, loss, cpu) = await Task.Run(() => Unreliable(single, 64, options.CaseDuration)).ConfigureAwait(false);
            results.Add(new("unreliable-64-single", Math.Round(rate), "msg/s", "raw-oneway-64", null) { Note = $"one message a datagram (no batches), sealed, {loss:P1} lost, {cpu:0.0} µs CPU/msg" });
        }

        // The same clients without sealed peer sessions (SecurePeers = false, as with a Godot peer): what sealing costs.
        await using (var plain = await HolepunchPair.ConnectAsync(ordered: true, secure: false).ConfigureAwait(false))
        {
            await Task.Run(() => Unreliable(plain, 64, TimeSpan.FromSeconds(1))).ConfigureAwait(false);
            var (rate, loss, cpu) = await Task.Run(() => Unreliable(plain, 64, options.CaseDuration)).ConfigureAwait(false);
            results.Add(new("unreliable-64-plain", Math.Round(rate), "msg/s", "raw-oneway-64", null) { Note = $"not sealed, {loss:P1} lost, {cpu:0.0} µs CPU/msg" });
            var (p50, _, count) = await Task.Run(() => ReliableRoundTrip(plain, 64, options.CaseDuration)).ConfigureAwait(false);
            results.Add(new("reliable-rtt-p50-plain", Math.Round(p50, 1), "µs", "raw-rtt-p50", null) { Note = $"not sealed, {count:N0} messages" });
        }

        return results;
    }

    private static (double Rate, double Loss, double Cpu) Unreliable(HolepunchPair pair, int size, TimeSpan duration)
    {
        var message = Payloads.Json(size);
        using var received = new DeliveryCounter();
        using var subscription = pair.Host.UnreliableMessages.Subscribe(_ => received.Add());
        return WindowedSender.Run(() => pair.Joiner.SendUnreliable("room", message), received, UnreliableWindow, duration);
    }

    private static (double Rate, double Cpu) Reliable(HolepunchPair pair, int size, TimeSpan duration)
    {
        var message = Payloads.Json(size);
        using var window = new SemaphoreSlim(ReliableWindow);
        long acknowledged = 0;
        using var delivered = pair.Joiner.ReliableDeliveries.Subscribe(_ =>
        {
            Interlocked.Increment(ref acknowledged);
            window.Release();
        });
        using var timedOut = pair.Joiner.ReliableTimeouts.Subscribe(_ => window.Release());
        var warmupEnd = Stats.Deadline(TimeSpan.FromMilliseconds(200));
        var end = Stats.Deadline(duration + TimeSpan.FromMilliseconds(200));
        long a0 = 0, t0 = 0;
        var cpu0 = TimeSpan.Zero;
        var measuring = false;
        while (true)
        {
            var now = Stopwatch.GetTimestamp();
            if (!measuring && now >= warmupEnd)
            {
                (measuring, a0, t0, cpu0) = (true, Interlocked.Read(ref acknowledged), now, Stats.ProcessorTime());
            }

            if (now >= end)
            {
                break;
            }

            if (window.Wait(100))
            {
                _ = pair.Joiner.SendReliableAsync("room", message);
            }
        }

        var (a1, t1, cpu1) = (Interlocked.Read(ref acknowledged), Stopwatch.GetTimestamp(), Stats.ProcessorTime());

        // Let the window drain so the next case starts clean.
        for (var i = 0; i < ReliableWindow; i++)
        {
            window.Wait(TimeSpan.FromSeconds(5));
        }

        return ((a1 - a0) / Stats.Seconds(t1 - t0), (cpu1 - cpu0).TotalMicroseconds / Math.Max(1, a1 - a0));
    }

    private static (double P50, double P99, int Count) ReliableRoundTrip(HolepunchPair pair, int size, TimeSpan duration)
    {
        var message = Payloads.Json(size);
        var samples = new List<double>(1 << 16);
        var warmupEnd = Stats.Deadline(TimeSpan.FromMilliseconds(200));
        var end = Stats.Deadline(duration + TimeSpan.FromMilliseconds(200));
        while (Stopwatch.GetTimestamp() < end)
        {
            var start = Stopwatch.GetTimestamp();
            pair.Joiner.SendReliableAsync("room", message).Wait(TimeSpan.FromSeconds(10));
            var stop = Stopwatch.GetTimestamp();
            if (start >= warmupEnd)
            {
                samples.Add(Stats.Microseconds(stop - start));
            }
        }

        return (Stats.Percentile(samples, 50), Stats.Percentile(samples, 99), samples.Count);
    }
}
