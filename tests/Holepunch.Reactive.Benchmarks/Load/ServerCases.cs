using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Holepunch.Reactive.Protocol;
using Holepunch.Reactive.Rendezvous;
using Holepunch.Reactive.Transport;

namespace Holepunch.Reactive.Benchmarks.Load;

/// <summary>
/// The rendezvous server's capacity: requests answered per second over UDP (registrations and joins alternating, from
/// one load socket, at most 64 unanswered), and the memory that live registrations hold.
/// </summary>
internal static class ServerCases
{
    private const int Rooms = 1000;
    private const int LiveRegistrations = 100_000;

    /// <summary>
    /// Requests unanswered at most: 64 requests and their 96 replies (a join answers twice) stay within Linux's default
    /// socket receive buffers on both sides (a small datagram takes about 1 KB of one), so the case measures the server
    /// rather than the kernel dropping what a buffer cannot hold.
    /// </summary>
    private const int Window = 64;

    public static async Task<IReadOnlyList<CaseResult>> RunAsync(LoadOptions options)
    {
        var (rate, loss, cpu) = await Task.Run(() => BatchedCapacity(options.CaseDuration)).ConfigureAwait(false);
        var (socketRate, socketLoss, socketCpu) = await Task.Run(() => Capacity(options.CaseDuration)).ConfigureAwait(false);
        var (bytes, heap) = await Task.Run(Memory).ConfigureAwait(false);
        return
        [
            new("server-ops", Math.Round(rate), "datagrams/s", "raw-oneway-64", null) { Note = $"requests answered (registrations and joins alternating; load through a batched transport), {loss:P1} unanswered, {cpu:0.0} µs CPU/request (server and load)" },
            new("server-ops-socket-load", Math.Round(socketRate), "datagrams/s", "raw-oneway-64", null) { Note = $"the same, load from a bare Socket (a system call a datagram), {socketLoss:P1} unanswered, {socketCpu:0.0} µs CPU/request" },
            new("registration-bytes", Math.Round(bytes), "bytes", null, null) { Note = $"managed heap per live registration, {LiveRegistrations:N0} live" },
            new("server-heap-100k", Math.Round(heap / 1048576.0, 1), "MiB", null, null) { Note = $"managed heap with {LiveRegistrations:N0} live registrations" },
        ];
    }

    /// <summary>
    /// The capacity with a load generator that costs what the server does: one <see cref="UdpDatagramTransport"/>
    /// (<c>recvmmsg</c> on Linux), which sends the next request from its receive thread for each request answered, so
    /// that a batch of answers is followed by one <c>sendmmsg</c> of new requests. Closed loop, at most
    /// <see cref="Window"/> requests unanswered; a stall of 20 ms (a loss) forgives them and sends a new window.
    /// </summary>
    /// <remarks>
    /// With a bare socket as the load (<see cref="Capacity"/>), the load's own system calls bound the rate: 2.5 a request
    /// (a send and 1.5 receives) against the server's 0.2. A profile of that case had the server's thread busy 37 % of
    /// one core, the load's two threads 84 %, and both cores idle 36 % of the time.
    /// </remarks>
    private static (double Rate, double Loss, double Cpu) BatchedCapacity(TimeSpan duration)
    {
        var (transport, server) = HolepunchPair.StartServer(maxRegistrations: Rooms * 2);
        using var load = UdpDatagramTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var requests = Requests(load.LocalEndPoint.Port);
        var target = transport.LocalEndPoint;
        using var answered = new DeliveryCounter();
        long sent = 0;
        var next = -1;
        var stopping = false;

        void SendNext()
        {
            var index = (int)((uint)Interlocked.Increment(ref next) % (uint)requests.Length);
            load.Send(requests[index], target);
            Interlocked.Increment(ref sent);
        }

        // Only the receive thread counts introductions.
        long introductions = 0;
        using var subscription = load.Received.Subscribe(datagram =>
        {
            var payload = datagram.Payload.Span;
            if (payload.Length > 9 && (payload[9] == (byte)'c' || (payload[9] == (byte)'p' && ++introductions % 2 == 0)))
            {
                answered.Add();
                if (!Volatile.Read(ref stopping))
                {
                    SendNext();
                }
            }
        });

        try
        {
            // A second of warm-up (the JIT), then the measurement. The receive thread keeps the window full; this thread
            // only looks every 10 ms, and after 20 ms without an answer (a loss) forgives what is outstanding and sends
            // a new window, so that no more than the window is ever unanswered.
            var measureFrom = Stats.Deadline(TimeSpan.FromSeconds(1));
            var end = Stats.Deadline(TimeSpan.FromSeconds(1) + duration);
            var stallTicks = Stopwatch.Frequency / 50;
            long r0 = 0, s0 = 0, t0 = 0;
            var cpu0 = TimeSpan.Zero;
            var measuring = false;
            long forgiven = 0;

            void FillWindow()
            {
                for (var outstanding = Interlocked.Read(ref sent) - forgiven - answered.Count; outstanding < Window; outstanding++)
                {
                    SendNext();
                }
            }

            FillWindow();
            var last = answered.Count;
            var since = Stopwatch.GetTimestamp();
            while (Stopwatch.GetTimestamp() < end)
            {
                Thread.Sleep(10);
                var now = Stopwatch.GetTimestamp();
                var current = answered.Count;
                if (current != last)
                {
                    (last, since) = (current, now);
                }
                else if (now - since > stallTicks)
                {
                    forgiven = Interlocked.Read(ref sent) - current;
                    FillWindow();
                    since = now;
                }

                if (!measuring && now >= measureFrom)
                {
                    (measuring, r0, s0, t0, cpu0) = (true, answered.Count, Interlocked.Read(ref sent), Stopwatch.GetTimestamp(), Stats.ProcessorTime());
                }
            }

            var (r1, s1, t1, cpu1) = (answered.Count, Interlocked.Read(ref sent), Stopwatch.GetTimestamp(), Stats.ProcessorTime());
            Volatile.Write(ref stopping, true);
            Thread.Sleep(100);
            var delivered = r1 - r0;
            Console.Error.WriteLine($"   server counters (batched load): {server.Counters}");
            return (
                delivered / Stats.Seconds(t1 - t0),
                Math.Max(0, 1 - ((answered.Count - r0) / (double)Math.Max(1, s1 - s0))),
                (cpu1 - cpu0).TotalMicroseconds / Math.Max(1, delivered));
        }
        finally
        {
            Volatile.Write(ref stopping, true);
            server.Dispose();
            transport.Dispose();
        }
    }

    /// <summary>A registration and a join for each room, alternating, from <paramref name="port"/> on 127.0.0.1.</summary>
    private static byte[][] Requests(int port)
    {
        var requests = new byte[Rooms * 2][];
        for (var room = 0; room < Rooms; room++)
        {
            var local = new IPEndPoint(IPAddress.Loopback, port);
            requests[2 * room] = MessageCodec.EncodeToArray(new RegisteringServer($"room-{room:D4}", local, 60));
            requests[(2 * room) + 1] = MessageCodec.EncodeToArray(new RequestingToJoinServer($"joiner-{room:D4}", local, $"room-{room:D4}"));
        }

        return requests;
    }

    private static (double Rate, double Loss, double Cpu) Capacity(TimeSpan duration)
    {
        var (transport, server) = HolepunchPair.StartServer(maxRegistrations: Rooms * 2);
        using var load = RawSocketCases.Bind();
        var requests = Requests(((IPEndPoint)load.LocalEndPoint!).Port);

        // Requests answered: each confirmation, and every second introduction (a join answers both peers).
        using var answered = new DeliveryCounter();
        var stop = false;
        var receiver = new Thread(() =>
        {
            var buffer = new byte[2048];
            var from = new SocketAddress(AddressFamily.InterNetwork);
            long introductions = 0;
            while (!Volatile.Read(ref stop))
            {
                try
                {
                    var length = load.ReceiveFrom(buffer, SocketFlags.None, from);
                    // {"type":"confirming-registration",… or {"type":"providing-peer-handshake-info",…
                    if (length > 9 && buffer[9] == (byte)'c')
                    {
                        answered.Add();
                    }
                    else if (length > 9 && buffer[9] == (byte)'p' && ++introductions % 2 == 0)
                    {
                        answered.Add();
                    }
                }
                catch (SocketException)
                {
                    // Timeout: look at the flag again.
                }
            }
        }) { IsBackground = true, Name = "server-load-receive" };
        receiver.Start();

        var target = transport.LocalEndPoint.Serialize();
        var next = 0;
        try
        {
            // The first pass registers every room; later ones refresh them (both are registrations to process).
            void Send()
            {
                load.SendTo(requests[next], SocketFlags.None, target);
                next = (next + 1) % requests.Length;
            }

            // A second of warm-up first (as the client cases have): tiered compilation of the server's path takes longer
            // than the measurement's own 200 ms warm-up on a busy 2-core machine.
            WindowedSender.Run(Send, answered, Window, TimeSpan.FromSeconds(1));
            var result = WindowedSender.Run(Send, answered, Window, duration);
            Console.Error.WriteLine($"   server counters: {server.Counters}");
            return result;
        }
        finally
        {
            Volatile.Write(ref stop, true);
            receiver.Join();
            server.Dispose();
            transport.Dispose();
        }
    }

    /// <summary>
    /// 100,000 registrations through an in-memory transport (each from its own source end point, as a UDP transport
    /// reports them), on the server's own event loop; the managed heap after a full collection, before and after.
    /// </summary>
    private static (double BytesPerRegistration, long Heap) Memory()
    {
        using var transport = new MemoryTransport();
        using var server = new RendezvousServer(transport, new RendezvousServerOptions
        {
            SourceTokenLimit = int.MaxValue,
            SourceTokensPerPeriod = int.MaxValue,
            MaxRegistrations = LiveRegistrations * 2,
            MaxRegistrationsPerAddress = LiveRegistrations * 2,
            GlobalTokenLimit = int.MaxValue,
            GlobalTokensPerPeriod = int.MaxValue,
            MaxPendingDatagrams = LiveRegistrations * 2,
        });
        server.Start();
        var buffer = new ArrayBufferWriter<byte>(256);
        var arrival = transport.LocalEndPoint;

        void Register(int index)
        {
            // Two source addresses, 50,000 ports each: a UDP transport gives each source its own end point and address.
            var source = new IPEndPoint(new IPAddress([127, 0, 1, (byte)(1 + (index / 50_000))]), 1024 + (index % 50_000));
            buffer.ResetWrittenCount();
            MessageCodec.Encode(new RegisteringServer($"room-{index:D6}", new IPEndPoint(IPAddress.Loopback, 40_000), 60), buffer);
            transport.Inject(new Datagram(buffer.WrittenMemory, source, arrival));
        }

        void WaitFor(int count)
        {
            var until = Stats.Deadline(TimeSpan.FromSeconds(60));
            while (server.Registrations.Count < count && Stopwatch.GetTimestamp() < until)
            {
                Thread.Sleep(10);
            }
        }

        // Warm up with other names (the JIT, the cache's first growth), then measure the next 100,000.
        const int Warm = 1000;
        for (var i = 0; i < Warm; i++)
        {
            Register(LiveRegistrations + i);
        }

        WaitFor(Warm);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < LiveRegistrations; i++)
        {
            Register(i);
        }

        WaitFor(Warm + LiveRegistrations);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(server);
        return ((after - before) / (double)LiveRegistrations, after);
    }
}
