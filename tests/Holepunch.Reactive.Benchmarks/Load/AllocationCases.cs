using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text.Json;
using Holepunch.Reactive.Peers;
using Holepunch.Reactive.Peers.Events;
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
        await using var world = await FakeWorld.StartAsync().ConfigureAwait(false);
        var receive = await Task.Run(() => Receive(world, count)).ConfigureAwait(false);
        var send = await Task.Run(() => Send(world, count)).ConfigureAwait(false);
        var kept = Kept();
        return
        [
            new("alloc-receive", Math.Round(receive, 1), "bytes/msg", null, null) { Note = $"64 B unreliable message, datagram to subscriber, {count:N0} messages" },
            new("alloc-receive-kept", Math.Round(kept, 1), "bytes/msg", null, null) { Note = "what the subscriber keeps: the event, its PeerMessage and the JSON value" },
            new("alloc-send", Math.Round(send, 1), "bytes/msg", null, null) { Note = $"SendUnreliable of a prepared 64 B JsonElement, {count:N0} messages" },
        ];
    }

    private static double Receive(FakeWorld world, int count)
    {
        var datagram = MessageCodec.EncodeToArray(new UnreliablePeerMessage("joiner", "room", Payloads.Json(64)));
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
                    world.Peer.SendTo(datagram, SocketFlags.None, world.HostAddress);
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

        private FakeWorld(Socket server, Socket peer, HolepunchClient host, SocketAddress hostAddress)
        {
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

        public static async Task<FakeWorld> StartAsync()
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
            server.ReceiveFrom(buffer, ref from);
            var hostEndPoint = (IPEndPoint)from;
            server.SendTo(MessageCodec.EncodeToArray(new ConfirmingRegistration("room")), hostEndPoint);
            await hosting.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);

            var confirmed = host.PeerConfirmations.FirstAsync().ToTask();
            server.SendTo(MessageCodec.EncodeToArray(new ProvidingPeerHandshakeInfo("room", "joiner", peerEndPoint, peerEndPoint)), hostEndPoint);
            EndPoint inquiryFrom = new IPEndPoint(IPAddress.Any, 0);
            peer.ReceiveFrom(buffer, ref inquiryFrom);
            peer.SendTo(MessageCodec.EncodeToArray(new LocalGlobalInquiryResponse("joiner", "room", UsedGlobal: true)), hostEndPoint);
            await confirmed.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            peer.ReceiveTimeout = 200;
            return new FakeWorld(server, peer, host, hostEndPoint.Serialize());
        }

        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync().ConfigureAwait(false);
            Volatile.Write(ref _stop, true);
            _peerThread.Join();
            Peer.Dispose();
            _server.Dispose();
        }
    }
}
