using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Reactive.Linq;
using Holepunch.Reactive.Peers;
using Holepunch.Reactive.Peers.Events;
using LiteNetLib;

namespace Holepunch.Reactive.Benchmarks.Load;

/// <summary>
/// Time from asking to be introduced to both peers connected, on 127.0.0.1, over at least 50 trials with fresh peers:
/// ours from <c>JoinAsync</c> (the room already registered) to both sides' <c>PeerConfirmed</c>; LiteNetLib's
/// NatPunchModule (its NAT punch server example flow) from the joiner's <c>SendNatIntroduceRequest</c> (the host's
/// request already waiting on the server) to both sides' <c>PeerConnected</c>.
/// </summary>
internal static class PunchCases
{
    private const int MinTrials = 50;
    private const string Key = "bench";

    public static async Task<IReadOnlyList<CaseResult>> RunAsync(LoadOptions options)
    {
        var (ours, introduced) = await OursAsync(options.CaseDuration, secure: true).ConfigureAwait(false);
        var (plain, _) = await OursAsync(options.CaseDuration, secure: false).ConfigureAwait(false);
        var lite = await Task.Run(() => LiteNetLib(options.CaseDuration)).ConfigureAwait(false);
        return
        [
            new("litenetlib-punch-p50", Math.Round(Stats.Percentile(lite, 50), 1), "µs", null, null) { Note = $"NatPunchModule introduce → both connected, {lite.Count} trials" },
            new("litenetlib-punch-p99", Math.Round(Stats.Percentile(lite, 99), 1), "µs", null, null),
            new("punch-p50", Math.Round(Stats.Percentile(ours, 50), 1), "µs", "litenetlib-punch-p50", null) { Note = $"join → both peers confirmed, {ours.Count} trials (both introduced after {Stats.Percentile(introduced, 50):0} µs)" },
            new("punch-p99", Math.Round(Stats.Percentile(ours, 99), 1), "µs", "litenetlib-punch-p99", null),
            new("punch-p50-plain", Math.Round(Stats.Percentile(plain, 50), 1), "µs", "litenetlib-punch-p50", null) { Note = $"not sealed (no key agreement), {plain.Count} trials" },
        ];
    }

    /// <summary>Runs trials until there are at least 50 and the case duration has passed (at most 60 s, 1,000 trials).</summary>
    private static bool More(int trials, long started, TimeSpan duration)
    {
        var elapsed = TimeSpan.FromSeconds(Stats.Seconds(Stopwatch.GetTimestamp() - started));
        return trials < 1000 && elapsed < TimeSpan.FromSeconds(60) && (trials < MinTrials || elapsed < duration);
    }

    private static async Task<(List<double> Samples, List<double> Introduced)> OursAsync(TimeSpan duration, bool secure)
    {
        var (transport, server) = HolepunchPair.StartServer();
        var samples = new List<double>();
        var introduced = new List<double>();
        try
        {
            var options = HolepunchPair.ClientOptions(transport.LocalEndPoint, secure: secure);
            var started = Stopwatch.GetTimestamp();
            for (var trial = 0; More(samples.Count, started, duration); trial++)
            {
                var room = $"room-{trial}";
                await using var host = await HolepunchClient.HostAsync(room, options).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
                await using var joiner = new HolepunchClient(options);
                long hostConfirmed = 0;
                long joinerConfirmed = 0;
                long hostLinked = 0;
                long joinerLinked = 0;
                using var onHostLinked = host.Events.OfType<Linked>().Subscribe(_ => hostLinked = Stopwatch.GetTimestamp());
                using var onJoinerLinked = joiner.Events.OfType<Linked>().Subscribe(_ => joinerLinked = Stopwatch.GetTimestamp());
                // Awaited, not waited for: a blocked thread-pool thread would be taken from the clients (their key
                // agreement runs on the pool), as it would from any library that uses the pool.
                var confirmations = 0;
                var both = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                using var onHost = host.PeerConfirmations.Subscribe(_ =>
                {
                    hostConfirmed = Stopwatch.GetTimestamp();
                    if (Interlocked.Increment(ref confirmations) == 2)
                    {
                        both.TrySetResult();
                    }
                });
                using var onJoiner = joiner.PeerConfirmations.Subscribe(_ =>
                {
                    joinerConfirmed = Stopwatch.GetTimestamp();
                    if (Interlocked.Increment(ref confirmations) == 2)
                    {
                        both.TrySetResult();
                    }
                });

                var start = Stopwatch.GetTimestamp();
                await joiner.JoinAsync("joiner", room).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
                await both.Task.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);

                if (trial > 0)
                {
                    // The first trial warms up the JIT.
                    samples.Add(Stats.Microseconds(Math.Max(hostConfirmed, joinerConfirmed) - start));
                    introduced.Add(Stats.Microseconds(Math.Max(hostLinked, joinerLinked) - start));
                }
            }
        }
        finally
        {
            server.Dispose();
            transport.Dispose();
        }

        return (samples, introduced);
    }

    private static List<double> LiteNetLib(TimeSpan duration)
    {
        var waiting = new ConcurrentDictionary<string, IPEndPoint>(StringComparer.Ordinal);
        var serverListener = new EventBasedNatPunchListener();
        var server = new NetManager(new EventBasedNetListener()) { NatPunchEnabled = true, UnsyncedEvents = true, IPv6Enabled = false };
        server.NatPunchModule.UnsyncedEvents = true;

        // The example server's logic: the first request with a token waits, the second is introduced to it. A client
        // reports its LAN address as its internal one; on loopback both peers are introduced by the address the
        // server saw (as ours), so that nothing is sent beyond 127.0.0.1.
        serverListener.NatIntroductionRequest += (_, remote, token) =>
        {
            if (waiting.TryRemove(token, out var first))
            {
                server.NatPunchModule.NatIntroduce(first, first, remote, remote, token);
            }
            else
            {
                waiting[token] = remote;
            }
        };
        server.NatPunchModule.Init(serverListener);
        server.Start(IPAddress.Loopback, IPAddress.IPv6Loopback, 0);
        var serverEndPoint = new IPEndPoint(IPAddress.Loopback, server.LocalPort);
        var samples = new List<double>();
        try
        {
            var started = Stopwatch.GetTimestamp();
            for (var trial = 0; More(samples.Count, started, duration); trial++)
            {
                var token = $"room-{trial}";
                using var both = new CountdownEvent(2);
                long hostConnected = 0;
                long joinerConnected = 0;
                var host = Client(both, () => hostConnected = Stopwatch.GetTimestamp());
                var joiner = Client(both, () => joinerConnected = Stopwatch.GetTimestamp());
                try
                {
                    host.NatPunchModule.SendNatIntroduceRequest(serverEndPoint, token);
                    var waitUntil = Stats.Deadline(TimeSpan.FromSeconds(5));
                    while (!waiting.ContainsKey(token) && Stopwatch.GetTimestamp() < waitUntil)
                    {
                        Thread.Yield();
                    }

                    var start = Stopwatch.GetTimestamp();
                    joiner.NatPunchModule.SendNatIntroduceRequest(serverEndPoint, token);
                    if (!both.Wait(TimeSpan.FromSeconds(10)))
                    {
                        throw new TimeoutException("LiteNetLib's NAT punch did not connect on loopback.");
                    }

                    if (trial > 0)
                    {
                        samples.Add(Stats.Microseconds(Math.Max(hostConnected, joinerConnected) - start));
                    }
                }
                finally
                {
                    host.Stop();
                    joiner.Stop();
                }
            }
        }
        finally
        {
            server.Stop();
        }

        return samples;
    }

    /// <summary>A NAT-punching client as in LiteNetLib's example: on introduction success it connects to the address.</summary>
    private static NetManager Client(CountdownEvent both, Action onConnected)
    {
        var listener = new EventBasedNetListener();
        var natListener = new EventBasedNatPunchListener();
        var connected = 0;
        listener.ConnectionRequestEvent += static request => request.AcceptIfKey(Key);
        listener.PeerConnectedEvent += _ =>
        {
            if (Interlocked.Exchange(ref connected, 1) == 0)
            {
                onConnected();
                both.Signal();
            }
        };
        var manager = new NetManager(listener) { NatPunchEnabled = true, UnsyncedEvents = true, IPv6Enabled = false };
        manager.NatPunchModule.UnsyncedEvents = true;
        natListener.NatIntroductionSuccess += (point, _, _) => manager.Connect(point, Key);
        manager.NatPunchModule.Init(natListener);
        manager.Start(IPAddress.Loopback, IPAddress.IPv6Loopback, 0);
        return manager;
    }
}
