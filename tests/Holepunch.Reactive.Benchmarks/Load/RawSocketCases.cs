using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Holepunch.Reactive.Benchmarks.Load;

/// <summary>
/// The limit: plain <see cref="Socket"/> datagrams on 127.0.0.1 with no protocol at all, one blocking thread per side,
/// no allocation per datagram.
/// </summary>
internal static class RawSocketCases
{
    public static IReadOnlyList<CaseResult> Run(LoadOptions options)
    {
        var (rate64, loss64, cpu64) = OneWay(64, options.CaseDuration);
        var (rate512, loss512, cpu512) = OneWay(512, options.CaseDuration);
        var (p50, p99, count) = PingPong(64, options.CaseDuration);
        return
        [
            new("raw-oneway-64", Math.Round(rate64), "datagrams/s", null, null) { Note = $"receiver rate, {loss64:P1} lost, {cpu64:0.0} µs CPU/datagram" },
            new("raw-oneway-512", Math.Round(rate512), "datagrams/s", null, null) { Note = $"receiver rate, {loss512:P1} lost, {cpu512:0.0} µs CPU/datagram" },
            new("raw-rtt-p50", Math.Round(p50, 1), "µs", null, null) { Note = $"64 B echo, {count:N0} round trips" },
            new("raw-rtt-p99", Math.Round(p99, 1), "µs", null, null),
        ];
    }

    public static Socket Bind()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.ReceiveTimeout = 200;
        return socket;
    }

    /// <summary>
    /// Sends from one thread as fast as the receiving thread takes datagrams (the flow control of every throughput case:
    /// at most <see cref="WindowedSender.DatagramWindow"/> unreceived); returns the receiver's rate, the share lost and the CPU time per datagram.
    /// </summary>
    private static (double Rate, double Loss, double Cpu) OneWay(int size, TimeSpan duration)
    {
        using var receiver = Bind();
        using var sender = Bind();
        var target = ((IPEndPoint)receiver.LocalEndPoint!).Serialize();
        using var received = new DeliveryCounter();
        var stop = false;
        var receiveThread = new Thread(() =>
        {
            var buffer = new byte[2048];
            var from = new SocketAddress(AddressFamily.InterNetwork);
            while (!Volatile.Read(ref stop))
            {
                try
                {
                    receiver.ReceiveFrom(buffer, SocketFlags.None, from);
                    received.Add();
                }
                catch (SocketException)
                {
                    // Timeout: look at the flag again.
                }
            }
        }) { IsBackground = true, Name = "raw-receive" };
        receiveThread.Start();
        var payload = new byte[size];
        try
        {
            return WindowedSender.Run(
                () => sender.SendTo(payload, SocketFlags.None, target),
                received,
                WindowedSender.DatagramWindow,
                duration);
        }
        finally
        {
            Volatile.Write(ref stop, true);
            receiveThread.Join();
        }
    }

    /// <summary>One datagram out, echoed back, for the duration; RTT percentiles in µs.</summary>
    private static (double P50, double P99, int Count) PingPong(int size, TimeSpan duration)
    {
        using var echo = Bind();
        using var client = Bind();
        var stop = false;
        var echoThread = new Thread(() =>
        {
            var buffer = new byte[2048];
            var from = new SocketAddress(AddressFamily.InterNetwork);
            while (!Volatile.Read(ref stop))
            {
                try
                {
                    var length = echo.ReceiveFrom(buffer, SocketFlags.None, from);
                    echo.SendTo(buffer.AsSpan(0, length), SocketFlags.None, from);
                }
                catch (SocketException)
                {
                    // Timeout: look at the flag again.
                }
            }
        }) { IsBackground = true, Name = "raw-echo" };
        echoThread.Start();

        var target = ((IPEndPoint)echo.LocalEndPoint!).Serialize();
        var payload = new byte[size];
        var reply = new byte[2048];
        var from = new SocketAddress(AddressFamily.InterNetwork);
        var samples = new List<double>(1 << 16);
        var warmupEnd = Stats.Deadline(TimeSpan.FromMilliseconds(200));
        var end = Stats.Deadline(duration + TimeSpan.FromMilliseconds(200));
        while (Stopwatch.GetTimestamp() < end)
        {
            var start = Stopwatch.GetTimestamp();
            client.SendTo(payload, SocketFlags.None, target);
            try
            {
                client.ReceiveFrom(reply, SocketFlags.None, from);
            }
            catch (SocketException)
            {
                continue; // Lost (200 ms timeout): not a sample.
            }

            var stopTicks = Stopwatch.GetTimestamp();
            if (start >= warmupEnd)
            {
                samples.Add(Stats.Microseconds(stopTicks - start));
            }
        }

        Volatile.Write(ref stop, true);
        echoThread.Join();
        return (Stats.Percentile(samples, 50), Stats.Percentile(samples, 99), samples.Count);
    }
}
