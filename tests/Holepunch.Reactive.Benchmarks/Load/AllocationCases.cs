using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text.Json;
using Holepunch.Reactive.Peers;
using Holepunch.Reactive.Peers.Events;
using Holepunch.Reactive.Peers.Internal;
using Holepunch.Reactive.Protocol;

namespace Holepunch.Reactive.Benchmarks.Load;

/// <summary>
/// Steady-state allocations of one client per message: the host "room" talks to a fake rendezvous server and a fake
/// peer "joiner" made of plain sockets that allocate nothing per datagram, so the process-wide allocation count
/// (<see cref="GC.GetTotalAllocatedBytes"/>) over N messages is the client's alone.
/// </summary>
internal static class AllocationCases
{
    public static async Task<IReadOnlyList<CaseResult>> RunAsync(LoadOptions options)
    {
        var count = options.Quick ? 20_000 : 100_000;
        double receive, send, receiveSealed, sendSealed;
        await using (var world = await FakeWorld.StartAsync(secure: false).ConfigureAwait(false))
        {
            receive = await Task.Run(() => Receive(world, count)).ConfigureAwait(false);
            send = await Task.Run(() => Send(world, count)).ConfigureAwait(false);
        }

        await using (var world = await FakeWorld.StartAsync(secure: true).ConfigureAwait(false))
        {
            receiveSealed = await Task.Run(() => Receive(world, count)).ConfigureAwait(false);
            sendSealed = await Task.Run(() => Send(world, count)).ConfigureAwait(false);
        }

        var kept = Kept();
        return
        [
            new("alloc-receive", Math.Round(receive, 1), "bytes/msg", null, null) { Note = $"64 B unreliable message, datagram to subscriber, {count:N0} messages (a Godot peer: plain)" },
            new("alloc-receive-sealed", Math.Round(receiveSealed, 1), "bytes/msg", null, null) { Note = $"the same sealed, as between two of our clients, {count:N0} messages" },
            new("alloc-receive-kept", Math.Round(kept, 1), "bytes/msg", null, null) { Note = "what the subscriber keeps: the event, its PeerMessage and the JSON value" },
            new("alloc-send", Math.Round(send, 1), "bytes/msg", null, null) { Note = $"SendUnreliable of a prepared 64 B JsonElement, {count:N0} messages" },
            new("alloc-send-sealed", Math.Round(sendSealed, 1), "bytes/msg", null, null) { Note = $"the same sealed, {count:N0} messages" },
        ];
    }

    private static double Receive(FakeWorld world, int count)
    {
        // Every datagram made before the measurement (a sealed one each with its own nonce), so the fake peer allocates nothing.
        var datagrams = world.Datagrams(MessageCodec.EncodeToArray(new UnreliablePeerMessage("joiner", "room", Payloads.Json(64))), count + (count / 10));
        var next = 0;
        long received = 0;
        using var subscription = world.Host.UnreliableMessages.Subscribe(_ => Interlocked.Increment(ref received));
        void Run(int n)
        {
            var target = received + n;
            var until = Stats.Deadline(TimeSpan.FromSeconds(30));
            long sent = 0;
            while (Interlocked.Read(ref received) < target && Stopwatch.GetTimestamp() < until)
            {
                // At most 64 in flight: nothing is lost, so every datagram sent is one message received.
                if (sent - (Interlocked.Read(ref received) - (target - n)) < 64 && sent < n)
                {
                    world.Peer.SendTo(datagrams[next++], SocketFlags.None, world.HostAddress);
                    sent++;
                }
                else
                {
                    Thread.Yield();
                }
            }
        }

        Run(count / 10);
        var start = Interlocked.Read(ref received);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        Run(count);
        var after = GC.GetTotalAllocatedBytes(precise: true);
        return (after - before) / (double)Math.Max(1, Interlocked.Read(ref received) - start);
    }

    private static double Send(FakeWorld world, int count)
    {
        var message = Payloads.Json(64);
        void Run(int n)
        {
            var target = world.PeerReceived + n;
            var until = Stats.Deadline(TimeSpan.FromSeconds(30));
            long sent = 0;
            while (world.PeerReceived < target && Stopwatch.GetTimestamp() < until)
            {
                if (sent - (world.PeerReceived - (target - n)) < 64 && sent < n)
                {
                    world.Host.SendUnreliable("joiner", message);
                    sent++;
                }
                else
                {
                    Thread.Yield();
                }
            }
        }

        Run(count / 10);
        var start = world.PeerReceived;
        var before = GC.GetTotalAllocatedBytes(precise: true);
        Run(count);
        var after = GC.GetTotalAllocatedBytes(precise: true);
        return (after - before) / (double)Math.Max(1, world.PeerReceived - start);
    }

    /// <summary>The floor: the event a subscriber receives, its <see cref="PeerMessage"/> and the parsed JSON value.</summary>
    private static double Kept()
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes("\"" + new string('x', 62) + "\"");
        const int N = 10_000;
        var keep = new object[N];
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < N; i++)
        {
            var reader = new Utf8JsonReader(bytes);
            reader.Read();
            keep[i] = new UnreliableMessageReceived(new PeerMessage("joiner", JsonElement.ParseValue(ref reader), IsReliable: false, MessageId: null));
        }

        var after = GC.GetAllocatedBytesForCurrentThread();
        GC.KeepAlive(keep);
        return (after - before) / (double)N;
    }

    /// <summary>A host client, a fake rendezvous server and a fake peer (plain sockets) that has punched to it.</summary>
    private sealed class FakeWorld : IAsyncDisposable
    {
        private readonly Socket _server;
        private readonly Thread _peerThread;
        private long _peerReceived;
        private bool _stop;

        private readonly PeerSeal? _seal;

        private FakeWorld(Socket server, Socket peer, HolepunchClient host, SocketAddress hostAddress, PeerSeal? seal)
        {
            _seal = seal;
            _server = server;
            Peer = peer;
            Host = host;
            HostAddress = hostAddress;
            _peerThread = new Thread(() =>
            {
                var buffer = new byte[65_536];
                var from = new SocketAddress(AddressFamily.InterNetwork);
                while (!Volatile.Read(ref _stop))
                {
                    try
                    {
                        Peer.ReceiveFrom(buffer, SocketFlags.None, from);
                        Interlocked.Increment(ref _peerReceived);
                    }
                    catch (SocketException)
                    {
                        // Timeout: look at the flag again.
                    }
                }
            }) { IsBackground = true, Name = "fake-peer" };
            _peerThread.Start();
        }

        public Socket Peer { get; }

        public HolepunchClient Host { get; }

        public SocketAddress HostAddress { get; }

        public long PeerReceived => Interlocked.Read(ref _peerReceived);

        /// <summary>The datagram <paramref name="count"/> times as the fake peer sends it: as is, or sealed each under the next nonce.</summary>
        public byte[][] Datagrams(byte[] datagram, int count) =>
            [.. Enumerable.Range(0, count).Select(_ => _seal is null ? datagram : MessageCodec.EncodeToArray(_seal.Seal(datagram)))];

        /// <summary><paramref name="secure"/>: the fake peer announces a key and seals, as one of our clients does; else it is plain, as a Godot peer.</summary>
        public static async Task<FakeWorld> StartAsync(bool secure)
        {
            var server = RawSocketCases.Bind();
            var peer = RawSocketCases.Bind();
            server.ReceiveTimeout = peer.ReceiveTimeout = 5000;
            var peerEndPoint = (IPEndPoint)peer.LocalEndPoint!;
            var host = new HolepunchClient(HolepunchPair.ClientOptions((IPEndPoint)server.LocalEndPoint!) with
            {
                // The fake peer answers no peer checks: keep them out of the measurement.
                PeerCheckInterval = TimeSpan.FromHours(1),
            });
            var hosting = host.HostAsync("room");
            var buffer = new byte[65_536];
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            var length = server.ReceiveFrom(buffer, ref from);
            var hostEndPoint = (IPEndPoint)from;
            var hostKey = (MessageCodec.Decode(buffer.AsSpan(0, length)).Message as RegisteringServer)?.PeerKey;
            server.SendTo(MessageCodec.EncodeToArray(new ConfirmingRegistration("room")), hostEndPoint);
            await hosting.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);

            var confirmed = host.PeerConfirmations.FirstAsync().ToTask();
            using var keys = secure ? new PeerKeyPair() : null;
            var seal = secure ? keys!.TryAgree("joiner", "room", hostKey ?? throw new InvalidOperationException("The host announced no key.")) : null;
            server.SendTo(MessageCodec.EncodeToArray(new ProvidingPeerHandshakeInfo("room", "joiner", peerEndPoint, peerEndPoint) { PeerKey = keys?.PublicKey }), hostEndPoint);
            EndPoint inquiryFrom = new IPEndPoint(IPAddress.Any, 0);
            peer.ReceiveFrom(buffer, ref inquiryFrom);
            var answer = MessageCodec.EncodeToArray(new LocalGlobalInquiryResponse("joiner", "room", UsedGlobal: true));
            peer.SendTo(seal is null ? answer : MessageCodec.EncodeToArray(seal.Seal(answer)), hostEndPoint);
            await confirmed.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            peer.ReceiveTimeout = 200;
            return new FakeWorld(server, peer, host, hostEndPoint.Serialize(), seal);
        }

        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync().ConfigureAwait(false);
            Volatile.Write(ref _stop, true);
            _peerThread.Join();
            _seal?.Dispose();
            Peer.Dispose();
            _server.Dispose();
        }
    }
}
