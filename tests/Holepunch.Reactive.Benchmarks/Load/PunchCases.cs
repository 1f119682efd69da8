using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Reactive.Linq;
using Holepunch.Reactive.Peers;
using Holepunch.Reactive.Peers.Events;
using LiteNetLib;

namespace Holepunch.Reactive.Benchmarks.Load;

/// <summary>
/// Time from asking to be introduced to both peers connected, on 127.0.0.1, over at least 50 trials with fresh peers
/// (interleaved, after a warm-up: see <see cref="Trials"/>):
/// ours from <c>JoinAsync</c> (the room already registered) to both sides' <c>PeerConfirmed</c>; LiteNetLib's
/// NatPunchModule (its NAT punch server example flow) from the joiner's <c>SendNatIntroduceRequest</c> (the host's
/// request already waiting on the server) to both sides' <c>PeerConnected</c>.
/// </summary>
internal static class PunchCases
{
    private const int MinTrials = 50;

    /// <summary>Our trials, sealed and plain each, per LiteNetLib trial (ours take a millisecond or so, LiteNetLib's tens).</summary>
    private const int OursPerRound = 4;

    /// <summary>The most rounds a case runs.</summary>
    private const int MaxRounds = 2000;
    private const string Key = "bench";

    public static async Task<IReadOnlyList<CaseResult>> RunAsync(LoadOptions options)
    {
        var sealedSamples = new List<double>();
        var introduced = new List<double>();
        var plainSamples = new List<double>();
        var lite = new List<double>();
        var separateSamples = new List<double>();
        var liteSeparate = new List<double>();
        var separate = CpuAffinity.IsSupported;
        // Rooms are not removed when their hosts close (they expire): room for every round the 60 s allow.
        var (transport, server) = HolepunchPair.StartServer(maxRegistrations: 3 * OursPerRound * MaxRounds);
        using var liteServer = new LiteServer();
        try
        {
            var sealedOptions = HolepunchPair.ClientOptions(transport.LocalEndPoint, secure: true);
            var plainOptions = HolepunchPair.ClientOptions(transport.LocalEndPoint, secure: false);
            var trials = new Trials(options.CaseDuration);
            for (var round = 0; trials.More(lite.Count); round++)
            {
                // Interleaved, so that whatever drifts over the run (the machine, the process's own warming up) falls on
                // all three alike.
                for (var i = 0; i < OursPerRound; i++)
                {
                    // Sealed first and plain first in turn, and the round's first trial in turn from round to round, so that
                    // neither always follows LiteNetLib's teardown.
                    var sealedFirst = (round + i) % 2 == 0;
                    var (confirmed, linked) = sealedFirst ? await OursAsync(sealedOptions, $"sealed-{round}-{i}").ConfigureAwait(false) : default;
                    var (plain, _) = await OursAsync(plainOptions, $"plain-{round}-{i}").ConfigureAwait(false);
                    if (!sealedFirst)
                    {
                        (confirmed, linked) = await OursAsync(sealedOptions, $"sealed-{round}-{i}").ConfigureAwait(false);
                    }

                    var (apart, _) = separate ? await OursAsync(sealedOptions, $"apart-{round}-{i}", separateCpus: true).ConfigureAwait(false) : default;
                    if (separate)
                    {
                        CpuAffinity.UnpinAll();
                    }
                    if (trials.Measuring)
                    {
                        sealedSamples.Add(confirmed);
                        introduced.Add(linked);
                        plainSamples.Add(plain);
                        if (separate)
                        {
                            separateSamples.Add(apart);
                        }
                    }
                }

                var liteSample = await Task.Run(() => liteServer.Trial($"room-{round}", separateCpus: false)).ConfigureAwait(false);
                var liteApart = separate ? await Task.Run(() => liteServer.Trial($"apart-{round}", separateCpus: true)).ConfigureAwait(false) : 0;
                if (separate)
                {
                    CpuAffinity.UnpinAll();
                }
                if (trials.Measuring)
                {
                    lite.Add(liteSample);
                    if (separate)
                    {
                        liteSeparate.Add(liteApart);
                    }
                }

                trials.Ended();
            }
        }
        finally
        {
            server.Dispose();
            transport.Dispose();
        }

        IEnumerable<CaseResult> apartResults = separate
            ?
            [
                // Against LiteNetLib unpinned: pinned, its several threads a peer share one CPU, which makes it slower.
                new("litenetlib-punch-p50-separate-cpus", Math.Round(Stats.Percentile(liteSeparate, 50), 1), "µs", null, null) { Note = $"each peer's threads on a CPU of their own, {liteSeparate.Count} trials" },
                new("punch-p50-separate-cpus", Math.Round(Stats.Percentile(separateSamples, 50), 1), "µs", "litenetlib-punch-p50", null) { Note = $"sealed, each peer's receive thread on a CPU of its own, {separateSamples.Count} trials" },
            ]
            : [];
        return
        [
            .. apartResults,
            new("litenetlib-punch-p50", Math.Round(Stats.Percentile(lite, 50), 1), "µs", null, null) { Note = $"NatPunchModule introduce → both connected, {lite.Count} trials" },
            new("litenetlib-punch-p99", Math.Round(Stats.Percentile(lite, 99), 1), "µs", null, null),
            new("punch-p50", Math.Round(Stats.Percentile(sealedSamples, 50), 1), "µs", "litenetlib-punch-p50", null) { Note = $"join → both peers confirmed, {sealedSamples.Count} trials (both introduced after {Stats.Percentile(introduced, 50):0} µs)" },
            new("punch-p99", Math.Round(Stats.Percentile(sealedSamples, 99), 1), "µs", "litenetlib-punch-p99", null),
            new("punch-p50-plain", Math.Round(Stats.Percentile(plainSamples, 50), 1), "µs", "litenetlib-punch-p50", null) { Note = $"not sealed (no key agreement), {plainSamples.Count} trials" },
        ];
    }

    /// <summary>
    /// The rounds of the case, each one LiteNetLib trial and <see cref="OursPerRound"/> of ours, sealed and plain: the
    /// first 3 s (and at least 20 rounds) warm up, then rounds are measured until there are at least 50 and the case
    /// duration has passed; at most 60 s and <see cref="MaxRounds"/> rounds in all. A punch runs each path once per
    /// trial, so a process takes seconds to reach its steady state: run one after another with one trial of warm-up,
    /// successive 2 s series of our sealed punch read 860, 610, 450 and 470 µs.
    /// </summary>
    private sealed class Trials(TimeSpan duration)
    {
        private const int MinWarmUp = 20;
        private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);
        private readonly long _began = Stopwatch.GetTimestamp();
        private long _measuringSince;
        private int _warmUps;
        private int _rounds;

        /// <summary>Whether the round under way is measured (else it warms up).</summary>
        public bool Measuring => _measuringSince != 0;

        public bool More(int measured)
        {
            var now = Stopwatch.GetTimestamp();
            if (Stats.Seconds(now - _began) >= 60 || _rounds >= MaxRounds)
            {
                return false;
            }

            return !Measuring || measured < MinTrials || Stats.Seconds(now - _measuringSince) < duration.TotalSeconds;
        }

        /// <summary>A round ended: counts it towards the warm-up while warming up.</summary>
        public void Ended()
        {
            _rounds++;
            if (!Measuring && ++_warmUps >= MinWarmUp && Stats.Seconds(Stopwatch.GetTimestamp() - _began) >= WarmUp.TotalSeconds)
            {
                _measuringSince = Stopwatch.GetTimestamp();
            }
        }
    }

    /// <summary>
    /// One trial of ours with fresh peers: µs from the join to both confirmed, and to both introduced. With
    /// <paramref name="separateCpus"/> the host's receive thread is started on CPU 0 and the joiner's on CPU 1 (each
    /// inherits its creator's pin), as two machines would each run one peer.
    /// </summary>
    private static async Task<(double Confirmed, double Introduced)> OursAsync(HolepunchClientOptions options, string room, bool separateCpus = false)
    {
        HolepunchClient host;
        HolepunchClient joiner;
        using (CpuAffinity.Pin(0, separateCpus))
        {
            host = new HolepunchClient(options);
        }

        using (CpuAffinity.Pin(1, separateCpus))
        {
            joiner = new HolepunchClient(options);
        }

        await using var hostScope = host.ConfigureAwait(false);
        await using var joinerScope = joiner.ConfigureAwait(false);
        await host.HostAsync(room).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        long hostConfirmed = 0;
        long joinerConfirmed = 0;
        long hostLinked = 0;
        long joinerLinked = 0;
        using var onHostLinked = host.Events.OfType<Linked>().Subscribe(_ => hostLinked = Stopwatch.GetTimestamp());
        using var onJoinerLinked = joiner.Events.OfType<Linked>().Subscribe(_ => joinerLinked = Stopwatch.GetTimestamp());

        // Awaited, not waited for: a blocked thread-pool thread would be taken from the clients, as it would from any
        // library that uses the pool.
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
        return (Stats.Microseconds(Math.Max(hostConfirmed, joinerConfirmed) - start), Stats.Microseconds(Math.Max(hostLinked, joinerLinked) - start));
    }

    /// <summary>LiteNetLib's NAT punch server, as in its example, and its trials.</summary>
    private sealed class LiteServer : IDisposable
    {
        private readonly ConcurrentDictionary<string, IPEndPoint> _waiting = new(StringComparer.Ordinal);
        private readonly NetManager _server;
        private readonly IPEndPoint _endPoint;

        public LiteServer()
        {
            var listener = new EventBasedNatPunchListener();
            _server = new NetManager(new EventBasedNetListener()) { NatPunchEnabled = true, UnsyncedEvents = true, IPv6Enabled = false };
            _server.NatPunchModule.UnsyncedEvents = true;

            // The example server's logic: the first request with a token waits, the second is introduced to it. A client
            // reports its LAN address as its internal one; on loopback both peers are introduced by the address the
            // server saw (as ours), so that nothing is sent beyond 127.0.0.1.
            listener.NatIntroductionRequest += (_, remote, token) =>
            {
                if (_waiting.TryRemove(token, out var first))
                {
                    _server.NatPunchModule.NatIntroduce(first, first, remote, remote, token);
                }
                else
                {
                    _waiting[token] = remote;
                }
            };
            _server.NatPunchModule.Init(listener);
            _server.Start(IPAddress.Loopback, IPAddress.IPv6Loopback, 0);
            _endPoint = new IPEndPoint(IPAddress.Loopback, _server.LocalPort);
        }

        /// <summary>
        /// One trial with fresh peers: µs from the joiner's introduce request to both connected; with
        /// <paramref name="separateCpus"/> the host's threads start on CPU 0 and the joiner's on CPU 1.
        /// </summary>
        public double Trial(string token, bool separateCpus)
        {
            using var both = new CountdownEvent(2);
            long hostConnected = 0;
            long joinerConnected = 0;
            NetManager host;
            NetManager joiner;
            using (CpuAffinity.Pin(0, separateCpus))
            {
                host = Client(both, () => hostConnected = Stopwatch.GetTimestamp());
            }

            using (CpuAffinity.Pin(1, separateCpus))
            {
                joiner = Client(both, () => joinerConnected = Stopwatch.GetTimestamp());
            }

            try
            {
                host.NatPunchModule.SendNatIntroduceRequest(_endPoint, token);
                var waitUntil = Stats.Deadline(TimeSpan.FromSeconds(5));
                while (!_waiting.ContainsKey(token) && Stopwatch.GetTimestamp() < waitUntil)
                {
                    Thread.Yield();
                }

                var start = Stopwatch.GetTimestamp();
                joiner.NatPunchModule.SendNatIntroduceRequest(_endPoint, token);
                if (!both.Wait(TimeSpan.FromSeconds(10)))
                {
                    throw new TimeoutException("LiteNetLib's NAT punch did not connect on loopback.");
                }

                return Stats.Microseconds(Math.Max(hostConnected, joinerConnected) - start);
            }
            finally
            {
                host.Stop();
                joiner.Stop();
            }
        }

        public void Dispose() => _server.Stop();
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
