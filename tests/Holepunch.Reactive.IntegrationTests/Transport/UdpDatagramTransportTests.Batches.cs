using System.Buffers.Binary;
using System.Net;
using Holepunch.Reactive.Transport;
using Holepunch.Reactive.Transport.Linux;

namespace Holepunch.Reactive.IntegrationTests.Transport;

/// <summary>The batched receive loop and the replies batched on its thread (see <see cref="UdpTransportOptions.BatchedReceive"/>).</summary>
public sealed partial class UdpDatagramTransportTests
{
    [LinuxFact]
    public void BatchedReceiveOption_ChoosesTheLoop()
    {
        using var batched = Bind("127.0.0.1", batched: true);
        using var managed = Bind("127.0.0.1", batched: false);

        Assert.True(batched.Bindings[0].IsBatched);
        Assert.False(managed.Bindings[0].IsBatched);
    }

    [LinuxFact]
    public void SerializedEndPoints_AreLinuxNativeSocketAddresses()
    {
        // The send batch copies SocketAddress bytes into sendmmsg's headers: they must be Linux's own sockaddr.
        var v4 = new IPEndPoint(IPAddress.Parse("192.0.2.7"), 8080);
        var v6 = new IPEndPoint(IPAddress.Parse("fe80::1%3"), 8080);

        Assert.Equal(v4, NativeSocketAddress.Read(v4.Serialize().Buffer.Span));
        Assert.Equal(v6, NativeSocketAddress.Read(v6.Serialize().Buffer.Span));
    }

    [LinuxFact]
    public async Task BurstQueuedBeforeReceiving_ArrivesCompleteAndInOrderInFewCalls()
    {
        const int Burst = 100;
        using var sender = Bind("127.0.0.1", batched: true);
        using var receiver = Bind("127.0.0.1", batched: true);
        using var held = new HeldReceiver(receiver);
        Assert.True(sender.Send(Index(0), receiver.LocalEndPoint));
        await held.Holding;

        for (int i = 1; i <= Burst; i++)
        {
            Assert.True(sender.Send(Index(i), receiver.LocalEndPoint));
        }

        long calls = receiver.Counters.ReceiveCalls;
        Received[] received = await held.ReleaseAsync(Burst + 1);

        Assert.Equal(Enumerable.Range(0, Burst + 1), received.Select(r => BinaryPrimitives.ReadInt32LittleEndian(r.Payload)));
        Assert.Equal(Burst + 1, receiver.Statistics.DatagramsReceived);

        // The slots double from two on every full call, up to 16 at the default maximum size: about ten calls take the
        // burst, one more waits for more (the managed loop makes one call a datagram).
        Assert.InRange(receiver.Counters.ReceiveCalls - calls, 1, Burst / 5);
    }

    [LinuxFact]
    public async Task ReceiveSlots_StartAtTwoAndGrowOnlyWhenACallFillsThemAll()
    {
        using var sender = Bind("127.0.0.1", batched: true);
        using var receiver = Bind("127.0.0.1", batched: true);

        // One datagram at a time never fills the two slots: 128 KiB pinned, not the whole batch's 1 MiB.
        using (var each = new SemaphoreSlim(0))
        using (receiver.Received.Subscribe(_ => each.Release()))
        {
            for (int i = 0; i < 5; i++)
            {
                Assert.True(sender.Send(Index(i), receiver.LocalEndPoint));
                Assert.True(await each.WaitAsync(Wait));
            }
        }

        Assert.Equal(BatchedReceiveLoop.InitialSlots, receiver.Bindings[0].ReceiveSlots);

        // A burst queued while the loop is held fills every call: the slots double up to the batch.
        using var held = new HeldReceiver(receiver);
        Assert.True(sender.Send(Index(0), receiver.LocalEndPoint));
        await held.Holding;
        const int Burst = 100;
        for (int i = 1; i <= Burst; i++)
        {
            Assert.True(sender.Send(Index(i), receiver.LocalEndPoint));
        }

        Received[] received = await held.ReleaseAsync(Burst + 1);

        Assert.Equal(Enumerable.Range(0, Burst + 1), received.Select(r => BinaryPrimitives.ReadInt32LittleEndian(r.Payload)));
        Assert.Equal(BatchedReceiveLoop.MaxSlotBytes / (64 * 1024), receiver.Bindings[0].ReceiveSlots);
    }

    [LinuxFact]
    public async Task ClosedTransport_LeavesItsSlotsToTheNextOne()
    {
        // A pool of the test's own: the shared one changes with every other test's sockets.
        var pool = new PinnedSlotPool();
        var options = new UdpTransportOptions { BindEndPoint = new IPEndPoint(IPAddress.Loopback, 0), SlotPool = pool };
        int length = ((options.MaxDatagramSize + 1 + 15) & ~15) * BatchedReceiveLoop.InitialSlots;

        var first = UdpDatagramTransport.Bind(options);
        Assert.True(await Eventually(() => first.Bindings[0].IsReceiving));
        Assert.Equal(0, pool.Held(length));

        first.Dispose();
        Assert.True(await Eventually(() => !first.Bindings[0].IsReceiving));
        Assert.Equal(1, pool.Held(length));

        using var second = UdpDatagramTransport.Bind(options);
        Assert.Equal(0, pool.Held(length));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReceiveThreadStarting_RunsOnTheReceiveThreadBeforeItsFirstDatagram(bool batched)
    {
        var started = new List<int>();
        var startedBeforeDelivery = false;
        using var sender = Bind("127.0.0.1", batched);
        using var receiver = UdpDatagramTransport.Bind(new UdpTransportOptions
        {
            BindEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            BatchedReceive = batched,
            ReceiveThreadStarting = () =>
            {
                lock (started)
                {
                    started.Add(Environment.CurrentManagedThreadId);
                }
            },
        });
        var deliveredOn = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = receiver.Received.Subscribe(_ =>
        {
            lock (started)
            {
                startedBeforeDelivery = started.Count == 1;
            }

            deliveredOn.TrySetResult(Environment.CurrentManagedThreadId);
        });

        Assert.True(sender.Send("hello"u8, receiver.LocalEndPoint));
        var thread = await deliveredOn.Task.WaitAsync(Wait);

        Assert.True(startedBeforeDelivery);
        Assert.Equal([thread], started);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReceiveThreadStarting_ThatThrows_LeavesTheThreadReceiving(bool batched)
    {
        using var sender = Bind("127.0.0.1", batched);
        using var receiver = UdpDatagramTransport.Bind(new UdpTransportOptions
        {
            BindEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            BatchedReceive = batched,
            ReceiveThreadStarting = () => throw new InvalidOperationException("a broken warm-up"),
        });
        var received = NextAsync(receiver);

        Assert.True(sender.Send("still here"u8, receiver.LocalEndPoint));

        Assert.Equal("still here", System.Text.Encoding.ASCII.GetString((await received).Payload));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OversizeDatagramWithinABurst_IsCountedAndTheRestDelivered(bool batched)
    {
        using var sender = Bind("127.0.0.1", batched);
        using var receiver = UdpDatagramTransport.Bind(new UdpTransportOptions
        {
            BindEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            MaxDatagramSize = 1000,
            BatchedReceive = batched,
        });
        using var held = new HeldReceiver(receiver);
        Assert.True(sender.Send("first"u8, receiver.LocalEndPoint));
        await held.Holding;

        Assert.True(sender.Send("before"u8, receiver.LocalEndPoint));
        Assert.True(sender.Send(new byte[2000], receiver.LocalEndPoint));
        Assert.True(sender.Send("after"u8, receiver.LocalEndPoint));
        Received[] received = await held.ReleaseAsync(3);

        Assert.Equal(["first", "before", "after"], received.Select(r => System.Text.Encoding.ASCII.GetString(r.Payload)));
        Assert.Equal(1, receiver.Statistics.OversizeDatagrams);
        Assert.Equal(3, receiver.Statistics.DatagramsReceived);
    }

    [LinuxFact]
    public async Task RepliesSentByObserversDuringABatch_AllArriveInFewCalls()
    {
        // 40 requests answered three times each: 120 replies, more than one batch of sends holds (64).
        const int Requests = 40;
        const int RepliesEach = 3;
        using var server = Bind("127.0.0.1", batched: true);
        using var client = Bind("127.0.0.1", batched: true);
        using var held = new HeldReceiver(server, datagram =>
        {
            for (byte reply = 0; reply < RepliesEach; reply++)
            {
                Assert.True(server.Send([datagram.Payload.Span[0], reply], datagram.RemoteEndPoint));
            }
        });
        Task<Received[]> replies = NextAsync(client, Requests * RepliesEach);
        Assert.True(client.Send([0], server.LocalEndPoint));
        await held.Holding;

        for (byte request = 1; request < Requests; request++)
        {
            Assert.True(client.Send([request], server.LocalEndPoint));
        }

        await held.ReleaseAsync(Requests);
        Received[] arrived = await replies;

        var expected = Enumerable.Range(0, Requests).SelectMany(r => Enumerable.Range(0, RepliesEach).Select(n => (r, n)));
        Assert.Equal(expected.Order(), arrived.Select(r => ((int)r.Payload[0], (int)r.Payload[1])).Order());
        // Counted once the send call returns, which may be after the client already has every reply.
        var statistics = new UdpTransportStatistics(Requests, Requests, Requests * RepliesEach, 2 * Requests * RepliesEach, 0, 0, 0, 0);
        await Eventually(() => server.Statistics == statistics);
        Assert.Equal(statistics, server.Statistics);

        // Sent one call a socket a batch (or a full batch of sends), not one a reply.
        Assert.InRange(server.Counters.SendCalls, 1, Requests * RepliesEach / 10);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SendFromAnotherThreadDuringDelivery_LeavesAtOnce(bool batched)
    {
        using var server = Bind("127.0.0.1", batched);
        using var client = Bind("127.0.0.1", batched);
        using var held = new HeldReceiver(server);
        Assert.True(client.Send("hold"u8, server.LocalEndPoint));
        await held.Holding;
        Task<Received> reply = NextAsync(client);

        Assert.True(server.Send("now"u8, client.LocalEndPoint));

        // The server's receive thread is still inside its delivery: only a send that was not held can have arrived.
        Assert.Equal("now"u8.ToArray(), (await reply).Payload);
        Assert.False(held.IsReleased);
        await held.ReleaseAsync(1);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ObserverRepliesThenDisposes_TheReplyStillLeaves(bool batched)
    {
        using var client = Bind("127.0.0.1", batched);
        var server = Bind("127.0.0.1", batched);
        using var subscription = server.Received.Subscribe(datagram =>
        {
            server.Send("bye"u8, datagram.RemoteEndPoint);
            server.Dispose();
        });
        Task<Received> reply = NextAsync(client);

        Assert.True(client.Send("last"u8, server.LocalEndPoint));

        Assert.Equal("bye"u8.ToArray(), (await reply).Payload);

        // Counted once the send call returns, which may be after the client already has the reply.
        Assert.True(await Eventually(() => server.Statistics.DatagramsSent == 1));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task DisposeWhileReceiveBlocked_EndsTheLoopWithoutWaitingForTheTimeout(bool batched)
    {
        // A receive timeout far beyond the test's waits: only closing the socket can wake the blocked receive in time.
        var transport = UdpDatagramTransport.Bind(new UdpTransportOptions
        {
            BindEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            BatchedReceive = batched,
            ReceivePoll = TimeSpan.FromMinutes(5),
        });
        using var sender = Bind("127.0.0.1", batched);
        long callsAtDelivery = long.MaxValue;
        using var subscription = transport.Received.Subscribe(_ => Volatile.Write(ref callsAtDelivery, transport.Counters.ReceiveCalls));
        Assert.True(sender.Send("x"u8, transport.LocalEndPoint));

        // The next receive call has begun after the datagram: the loop is (about to be) blocked in it.
        Assert.True(await Eventually(() => transport.Counters.ReceiveCalls > Volatile.Read(ref callsAtDelivery)));
        UdpSocketBinding binding = transport.Bindings[0];
        Assert.True(binding.IsReceiving);

        await Task.Run(transport.Dispose).WaitAsync(Wait);

        Assert.True(await Eventually(() => !binding.IsReceiving));
    }

    private static byte[] Index(int index)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, index);
        return bytes;
    }

    /// <summary>Polls <paramref name="condition"/> every 10 ms for at most <see cref="Wait"/>; whether it became true.</summary>
    private static async Task<bool> Eventually(Func<bool> condition)
    {
        for (int i = 0; i < Wait.TotalMilliseconds / 10; i++)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(10);
        }

        return condition();
    }

    /// <summary>
    /// Records what a transport receives, and holds its receive thread inside the first datagram's <c>OnNext</c> until
    /// released, so that what is sent meanwhile queues in the socket and is then received as one burst.
    /// </summary>
    private sealed class HeldReceiver : IDisposable
    {
        private static readonly TimeSpan HoldLimit = TimeSpan.FromSeconds(30);
        private readonly ManualResetEventSlim _release = new();
        private readonly TaskCompletionSource _holding = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _enough = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<Received> _received = [];
        private readonly IDisposable _subscription;
        private int _expected = int.MaxValue;

        public HeldReceiver(UdpDatagramTransport transport, Action<Datagram>? onEach = null) =>
            _subscription = transport.Received.Subscribe(datagram =>
            {
                int count;
                lock (_received)
                {
                    _received.Add(Copy(datagram));
                    count = _received.Count;
                    if (count >= _expected)
                    {
                        _enough.TrySetResult();
                    }
                }

                onEach?.Invoke(datagram);
                if (count == 1)
                {
                    _holding.TrySetResult();
                    _release.Wait(HoldLimit);
                }
            });

        /// <summary>Completes when the receive thread is held in the first datagram.</summary>
        public Task Holding => _holding.Task.WaitAsync(Wait);

        public bool IsReleased => _release.IsSet;

        /// <summary>Lets the receive thread go, and waits until <paramref name="count"/> datagrams (the first included) were received.</summary>
        public async Task<Received[]> ReleaseAsync(int count)
        {
            lock (_received)
            {
                _expected = count;
                if (_received.Count >= count)
                {
                    _enough.TrySetResult();
                }
            }

            _release.Set();
            await _enough.Task.WaitAsync(Wait);
            lock (_received)
            {
                return [.. _received];
            }
        }

        public void Dispose()
        {
            _release.Set();
            _subscription.Dispose();
            _release.Dispose();
        }
    }
}
