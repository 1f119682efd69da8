using System.Diagnostics;
using System.Net;
using LiteNetLib;

namespace Holepunch.Reactive.Benchmarks.Load;

/// <summary>
/// The same measurements with LiteNetLib 2.1.5: a client <see cref="NetManager"/> connected to a server one on
/// 127.0.0.1, events raised on LiteNetLib's own threads (<c>UnsyncedEvents</c>). LiteNetLib queues what is sent and
/// flushes it on its logic thread's tick (<c>UpdateTime</c>, 15 ms) unless <c>TriggerUpdate()</c> is called: each case
/// runs both ways ("-trigger" calls it after every send).
/// </summary>
internal static class LiteNetLibCases
{
    private const string Key = "bench";
    // LiteNetLib packs many small messages into one datagram and flushes on its tick: a window of 128 messages would
    // cap it at 128 a tick, so it gets 1,024 (still a few datagrams in flight).
    private const int Window = 1024;

    public static IReadOnlyList<CaseResult> Run(LoadOptions options)
    {
        var results = new List<CaseResult>();
        using (var warm = LitePair.Connect())
        {
            // Warm up the JIT, as for our stack.
            Throughput(warm, DeliveryMethod.Unreliable, 64, trigger: true, TimeSpan.FromSeconds(1));
            Throughput(warm, DeliveryMethod.ReliableOrdered, 64, trigger: true, TimeSpan.FromSeconds(1));
        }

        foreach (var trigger in (bool[])[false, true])
        {
            var suffix = trigger ? "-trigger" : "";
            var how = trigger ? "TriggerUpdate after each send" : "15 ms tick";
            using (var pair = LitePair.Connect())
            {
                var (rate, loss, cpu) = Throughput(pair, DeliveryMethod.Unreliable, 64, trigger, options.CaseDuration);
                results.Add(new($"litenetlib-unreliable-64{suffix}", Math.Round(rate), "msg/s", "raw-oneway-64", null) { Note = $"{how}, {loss:P1} lost, {cpu:0.0} µs CPU/msg" });
            }

            using (var pair = LitePair.Connect())
            {
                var (rate, _, cpu) = Throughput(pair, DeliveryMethod.ReliableOrdered, 64, trigger, options.CaseDuration);
                results.Add(new($"litenetlib-reliable-64{suffix}", Math.Round(rate), "msg/s", null, null) { Note = $"ReliableOrdered, {how}, {cpu:0.0} µs CPU/msg" });
            }

            using (var pair = LitePair.Connect())
            {
                var (p50, p99, count) = RoundTrip(pair, 64, trigger, options.CaseDuration);
                results.Add(new($"litenetlib-rtt-p50{suffix}", Math.Round(p50, 1), "µs", "raw-rtt-p50", null) { Note = $"ReliableOrdered echo, {how}, {count:N0} round trips" });
                results.Add(new($"litenetlib-rtt-p99{suffix}", Math.Round(p99, 1), "µs", "raw-rtt-p99", null));
            }
        }

        return results;
    }

    private static (double Rate, double Loss, double Cpu) Throughput(LitePair pair, DeliveryMethod method, int size, bool trigger, TimeSpan duration)
    {
        var payload = new byte[size];
        using var received = new DeliveryCounter();
        pair.ServerListener.NetworkReceiveEvent += (_, reader, _, _) =>
        {
            received.Add();
            reader.Recycle();
        };
        return WindowedSender.Run(
            () =>
            {
                pair.ClientPeer.Send(payload, method);
                if (trigger)
                {
                    pair.Client.TriggerUpdate();
                }
            },
            received,
            Window,
            duration);
    }

    private static (double P50, double P99, int Count) RoundTrip(LitePair pair, int size, bool trigger, TimeSpan duration)
    {
        using var echoed = new ManualResetEventSlim();
        pair.ServerListener.NetworkReceiveEvent += (peer, reader, _, method) =>
        {
            peer.Send(reader.GetRemainingBytesSpan(), method);
            reader.Recycle();
            if (trigger)
            {
                pair.Server.TriggerUpdate();
            }
        };
        pair.ClientListener.NetworkReceiveEvent += (_, reader, _, _) =>
        {
            reader.Recycle();
            echoed.Set();
        };

        var payload = new byte[size];
        var samples = new List<double>(1 << 16);
        var warmupEnd = Stats.Deadline(TimeSpan.FromMilliseconds(200));
        var end = Stats.Deadline(duration + TimeSpan.FromMilliseconds(200));
        while (Stopwatch.GetTimestamp() < end)
        {
            echoed.Reset();
            var start = Stopwatch.GetTimestamp();
            pair.ClientPeer.Send(payload, DeliveryMethod.ReliableOrdered);
            if (trigger)
            {
                pair.Client.TriggerUpdate();
            }

            if (!echoed.Wait(TimeSpan.FromSeconds(5)))
            {
                break;
            }

            var stop = Stopwatch.GetTimestamp();
            if (start >= warmupEnd)
            {
                samples.Add(Stats.Microseconds(stop - start));
            }
        }

        return (Stats.Percentile(samples, 50), Stats.Percentile(samples, 99), samples.Count);
    }

    /// <summary>A LiteNetLib server and a client connected to it on 127.0.0.1.</summary>
    private sealed class LitePair : IDisposable
    {
        private LitePair()
        {
            ServerListener.ConnectionRequestEvent += static request => request.AcceptIfKey(Key);
            Server = new NetManager(ServerListener) { UnsyncedEvents = true, IPv6Enabled = false, DisconnectTimeout = 30_000 };
            Client = new NetManager(ClientListener) { UnsyncedEvents = true, IPv6Enabled = false, DisconnectTimeout = 30_000 };
        }

        public EventBasedNetListener ServerListener { get; } = new();

        public EventBasedNetListener ClientListener { get; } = new();

        public NetManager Server { get; }

        public NetManager Client { get; }

        public NetPeer ClientPeer { get; private set; } = null!;

        public static LitePair Connect()
        {
            var pair = new LitePair();
            using var connected = new ManualResetEventSlim();
            pair.ClientListener.PeerConnectedEvent += _ => connected.Set();
            pair.Server.Start(IPAddress.Loopback, IPAddress.IPv6Loopback, 0);
            pair.Client.Start(IPAddress.Loopback, IPAddress.IPv6Loopback, 0);
            pair.ClientPeer = pair.Client.Connect(new IPEndPoint(IPAddress.Loopback, pair.Server.LocalPort), Key)!;
            if (!connected.Wait(TimeSpan.FromSeconds(10)))
            {
                throw new TimeoutException("LiteNetLib did not connect on loopback.");
            }

            pair.ClientListener.ClearPeerConnectedEvent();
            return pair;
        }

        public void Dispose()
        {
            Client.Stop();
            Server.Stop();
        }
    }
}
