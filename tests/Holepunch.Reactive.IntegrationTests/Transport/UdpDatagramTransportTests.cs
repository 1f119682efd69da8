using System.Net;
using System.Net.Sockets;
using System.Reactive;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Holepunch.Reactive.Transport;

namespace Holepunch.Reactive.IntegrationTests.Transport;

/// <summary>
/// The transport over real loopback sockets. Theories over <c>batched</c> run both receive loops: the Linux batched
/// one (<see cref="UdpTransportOptions.BatchedReceive"/>, elsewhere it falls back) and the managed one.
/// </summary>
public sealed partial class UdpDatagramTransportTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private static readonly IPAddress Loopback2 = IPAddress.Parse("127.0.0.2");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SendIPv4_ArrivesWithSenderAndReceiverEndPoints(bool batched)
    {
        using var a = Bind("127.0.0.1", batched);
        using var b = Bind("127.0.0.1", batched);
        Task<Received> next = NextAsync(b);

        Assert.True(a.Send("hello"u8, b.LocalEndPoint));

        Received received = await next;
        Assert.Equal("hello"u8.ToArray(), received.Payload);
        Assert.Equal(a.LocalEndPoint, received.Remote);
        Assert.Equal(b.LocalEndPoint, received.Local);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task DisposedByAnObserverOfADatagram_OtherObserversGetThatDatagramThenTheCompletion(bool batched)
    {
        using var a = Bind("127.0.0.1", batched);
        var b = Bind("127.0.0.1", batched);
        var seen = new List<string>();
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // The first observer closes the transport from the receive thread, inside the emission (as a client whose
        // handler terminates it does); the second must still see the datagram, and the completion only after it.
        using var closer = b.Received.Subscribe(_ => b.Dispose());
        using var watcher = b.Received.Subscribe(
            d => seen.Add("datagram " + d.Payload.Length),
            e => seen.Add("error"),
            () =>
            {
                seen.Add("completed");
                ended.TrySetResult();
            });

        Assert.True(a.Send("hello"u8, b.LocalEndPoint));
        await ended.Task.WaitAsync(Wait);

        Assert.Equal(["datagram 5", "completed"], seen);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SendIPv6Loopback_ArrivesWithSenderAndReceiverEndPoints(bool batched)
    {
        using var a = Bind("::1", batched);
        using var b = Bind("::1", batched);
        Task<Received> next = NextAsync(b);

        Assert.True(a.Send("six"u8, b.LocalEndPoint));

        Received received = await next;
        Assert.Equal("six"u8.ToArray(), received.Payload);
        Assert.Equal(a.LocalEndPoint, received.Remote);
        Assert.Equal(b.LocalEndPoint, received.Local);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task DualModeSocket_IPv4Sender_ReportsUnmappedIPv4Addresses(bool batched)
    {
        using var dual = Bind("::", batched);
        using var sender = UdpDatagramTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Task<Received> next = NextAsync(dual);

        Assert.True(sender.Send("v4"u8, new IPEndPoint(IPAddress.Loopback, dual.LocalEndPoint.Port)));

        Received received = await next;
        Assert.Equal(sender.LocalEndPoint, received.Remote);
        Assert.Equal(AddressFamily.InterNetwork, received.Remote.AddressFamily);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, dual.LocalEndPoint.Port), received.Local);
    }

    [Fact]
    public async Task DualModeSocket_SendsToIPv4Remote()
    {
        using var dual = UdpDatagramTransport.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
        using var receiver = UdpDatagramTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Task<Received> next = NextAsync(receiver);

        Assert.True(dual.Send("from dual"u8, receiver.LocalEndPoint));

        Received received = await next;
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, dual.LocalEndPoint.Port), received.Remote);
    }

    [LinuxTheory]
    [InlineData("0.0.0.0", true)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::", true)]
    [InlineData("::", false)]
    public async Task WildcardSocket_DatagramTo127002_ReportsArrivalAddress(string bindAddress, bool batched)
    {
        using var server = Bind(bindAddress, batched);
        using var client = UdpDatagramTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Task<Received> next = NextAsync(server);

        Assert.True(client.Send("to .2"u8, new IPEndPoint(Loopback2, server.LocalEndPoint.Port)));

        Received received = await next;
        Assert.Equal(new IPEndPoint(Loopback2, server.LocalEndPoint.Port), received.Local);
        Assert.Equal(client.LocalEndPoint, received.Remote);
    }

    [LinuxFact]
    public async Task ReplyFromArrivalAddress_LeavesFromThatAddress()
    {
        using var server = UdpDatagramTransport.Bind(new UdpTransportOptions
        {
            BindEndPoint = new IPEndPoint(IPAddress.Any, 0),
            AdditionalBindAddresses = [IPAddress.Loopback, Loopback2],
        });
        using var client = UdpDatagramTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = server.LocalEndPoint.Port;
        Assert.Contains(new IPEndPoint(Loopback2, port), server.LocalEndPoints);
        Task<Received> request = NextAsync(server);
        Task<Received> reply = NextAsync(client);

        Assert.True(client.Send("ping"u8, new IPEndPoint(Loopback2, port)));
        Received arrived = await request;
        Assert.True(server.Send("pong"u8, arrived.Remote, arrived.Local.Address));

        Assert.Equal(new IPEndPoint(Loopback2, port), arrived.Local);
        Assert.Equal(new IPEndPoint(Loopback2, port), (await reply).Remote);
        Assert.Equal(0, server.Statistics.SourceAddressFallbacks);
    }

    [LinuxFact]
    public async Task SendWithLocalAddress_EachAddressLeavesFromItsOwnSocket()
    {
        using var server = UdpDatagramTransport.Bind(new UdpTransportOptions
        {
            BindEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            AdditionalBindAddresses = [Loopback2],
        });
        using var client = UdpDatagramTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = server.LocalEndPoint.Port;
        Task<Received[]> replies = NextAsync(client, 3);

        Assert.True(server.Send("a"u8, client.LocalEndPoint, Loopback2));
        Assert.True(server.Send("b"u8, client.LocalEndPoint, IPAddress.Loopback));
        Assert.True(server.Send("c"u8, client.LocalEndPoint));

        Received[] received = await replies;
        Assert.Equal(new IPEndPoint(Loopback2, port), received.Single(r => r.Payload[0] == 'a').Remote);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, port), received.Single(r => r.Payload[0] == 'b').Remote);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, port), received.Single(r => r.Payload[0] == 'c').Remote);
    }

    [LinuxFact]
    public async Task SendWithUnboundLocalAddress_FallsBackAndCounts()
    {
        using var server = UdpDatagramTransport.Bind(new IPEndPoint(IPAddress.Any, 0));
        using var client = UdpDatagramTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Task<Received> reply = NextAsync(client);

        Assert.True(server.Send("x"u8, client.LocalEndPoint, Loopback2));

        await reply;
        Assert.Equal(1, server.Statistics.SourceAddressFallbacks);
    }

    [Fact]
    public async Task BindAllLocalAddresses_BindsLoopbackOnTheSamePort()
    {
        using var server = UdpDatagramTransport.Bind(new UdpTransportOptions
        {
            BindEndPoint = new IPEndPoint(IPAddress.Any, 0),
            BindAllLocalAddresses = true,
        });
        using var client = UdpDatagramTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var loopback = new IPEndPoint(IPAddress.Loopback, server.LocalEndPoint.Port);
        Task<Received> reply = NextAsync(client);

        Assert.Contains(loopback, server.LocalEndPoints);
        Assert.True(server.Send("x"u8, client.LocalEndPoint, IPAddress.Loopback));

        Assert.Equal(loopback, (await reply).Remote);
    }

    [LinuxFact]
    public async Task BindAllLocalAddresses_ReplyFromUnenumeratedArrivalAddress_BindsItOnDemand()
    {
        using var server = UdpDatagramTransport.Bind(new UdpTransportOptions
        {
            BindEndPoint = new IPEndPoint(IPAddress.Any, 0),
            BindAllLocalAddresses = true,
        });
        using var client = UdpDatagramTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var second = new IPEndPoint(Loopback2, server.LocalEndPoint.Port);
        Assert.DoesNotContain(second, server.LocalEndPoints);
        Task<Received> request = NextAsync(server);
        Task<Received> reply = NextAsync(client);

        Assert.True(client.Send("ping"u8, second));
        Received arrived = await request;
        Assert.True(server.Send("pong"u8, arrived.Remote, arrived.Local.Address));

        Assert.Equal(second, (await reply).Remote);
        Assert.Contains(second, server.LocalEndPoints);
        Assert.Equal(0, server.Statistics.SourceAddressFallbacks);

        // The new socket receives what arrives at its address from now on.
        Task<Received> again = NextAsync(server);
        Assert.True(client.Send("again"u8, second));
        Assert.Equal(second, (await again).Local);
    }

    [LinuxFact]
    public async Task BindAllLocalAddresses_SendFromForeignAddress_FallsBackAndCounts()
    {
        using var server = UdpDatagramTransport.Bind(new UdpTransportOptions
        {
            BindEndPoint = new IPEndPoint(IPAddress.Any, 0),
            BindAllLocalAddresses = true,
        });
        using var client = UdpDatagramTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int sockets = server.LocalEndPoints.Count;
        Task<Received[]> replies = NextAsync(client, 2);

        // 192.0.2.1 (TEST-NET-1) is no address of this host: it cannot be bound, and is not tried twice.
        Assert.True(server.Send("x"u8, client.LocalEndPoint, IPAddress.Parse("192.0.2.1")));
        Assert.True(server.Send("y"u8, client.LocalEndPoint, IPAddress.Parse("192.0.2.1")));

        await replies;
        Assert.Equal(sockets, server.LocalEndPoints.Count);
        Assert.Equal(2, server.Statistics.SourceAddressFallbacks);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SendToClosedPort_ReceiveLoopKeepsRunning(bool batched)
    {
        using var a = Bind("127.0.0.1", batched);
        using var b = Bind("127.0.0.1", batched);
        IPEndPoint dead = DeadEndPoint();
        for (int i = 0; i < 3; i++)
        {
            a.Send("nobody"u8, dead);
        }

        // The ICMP replies (a reset on Windows) must have come back before the live datagram is sent.
        Task<Received> echo = NextAsync(a);
        Assert.True(a.Send("loop"u8, a.LocalEndPoint));
        await echo;
        Task<Received> next = NextAsync(a);

        Assert.True(b.Send("alive"u8, a.LocalEndPoint));

        Assert.Equal("alive"u8.ToArray(), (await next).Payload);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("::", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::", false)]
    public async Task MaxSizeDatagram_RoundTrips(string bindAddress, bool batched)
    {
        using var a = Bind("127.0.0.1", batched);
        using var b = Bind(bindAddress, batched);
        byte[] payload = new byte[UdpTransportOptions.MaxIPv4DatagramSize];
        new Random(7).NextBytes(payload);
        Task<Received> next = NextAsync(b);

        Assert.True(a.Send(payload, new IPEndPoint(IPAddress.Loopback, b.LocalEndPoint.Port)));

        Assert.Equal(payload, (await next).Payload);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("0.0.0.0", false)]
    public async Task OversizeDatagram_IsCountedAndDropped(string bindAddress, bool batched)
    {
        using var a = UdpDatagramTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var b = UdpDatagramTransport.Bind(new UdpTransportOptions
        {
            BindEndPoint = new IPEndPoint(IPAddress.Parse(bindAddress), 0),
            MaxDatagramSize = 1000,
            BatchedReceive = batched,
        });
        var target = new IPEndPoint(IPAddress.Loopback, b.LocalEndPoint.Port);
        Task<Received> next = NextAsync(b);

        Assert.True(a.Send(new byte[2000], target));
        Assert.True(a.Send("small"u8, target));

        Assert.Equal("small"u8.ToArray(), (await next).Payload);
        Assert.Equal(1, b.Statistics.OversizeDatagrams);
        Assert.Equal(1, b.Statistics.DatagramsReceived);
    }

    [Fact]
    public void SendOverMaxDatagramSize_ReturnsFalseAndCounts()
    {
        using var a = UdpDatagramTransport.Bind(new UdpTransportOptions
        {
            BindEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            MaxDatagramSize = 1000,
        });

        Assert.False(a.Send(new byte[1001], new IPEndPoint(IPAddress.Loopback, 9)));
        Assert.Equal(1, a.Statistics.SendFailures);
        Assert.Equal(0, a.Statistics.DatagramsSent);
    }

    [Fact]
    public void SendIPv6FromIPv4Socket_ReturnsFalseAndCounts()
    {
        using var a = UdpDatagramTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        Assert.False(a.Send("x"u8, new IPEndPoint(IPAddress.IPv6Loopback, 9)));
        Assert.Equal(1, a.Statistics.SendFailures);
    }

    [Fact]
    public async Task Traffic_IsCounted()
    {
        using var a = UdpDatagramTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var b = UdpDatagramTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Task<Received[]> all = NextAsync(b, 3);

        for (int i = 0; i < 3; i++)
        {
            Assert.True(a.Send("0123456789"u8, b.LocalEndPoint));
        }

        await all;
        Assert.Equal(new UdpTransportStatistics(0, 0, 3, 30, 0, 0, 0, 0), a.Statistics);
        Assert.Equal(new UdpTransportStatistics(3, 30, 0, 0, 0, 0, 0, 0), b.Statistics);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("::", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::", false)]
    public async Task SteadySender_ReusesEndPointInstances(string bindAddress, bool batched)
    {
        using var a = UdpDatagramTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var b = Bind(bindAddress, batched);
        Task<Received[]> both = NextAsync(b, 2);

        a.Send("1"u8, new IPEndPoint(IPAddress.Loopback, b.LocalEndPoint.Port));
        a.Send("2"u8, new IPEndPoint(IPAddress.Loopback, b.LocalEndPoint.Port));

        Received[] received = await both;
        Assert.Equal(a.LocalEndPoint, received[0].Remote);
        Assert.Same(received[0].Remote, received[1].Remote);
        Assert.Same(received[0].Local, received[1].Local);
    }

    [Fact]
    public async Task Dispose_CompletesReceivedAndSecondDisposeIsHarmless()
    {
        var transport = UdpDatagramTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Task<Notification<Datagram>> end = transport.Received.Materialize().FirstAsync().Timeout(Wait).ToTask();

        transport.Dispose();
        transport.Dispose();

        Assert.Equal(NotificationKind.OnCompleted, (await end).Kind);
        Notification<Datagram> late = await transport.Received.Materialize().FirstAsync().Timeout(Wait);
        Assert.Equal(NotificationKind.OnCompleted, late.Kind);
    }

    [Fact]
    public void SendAfterDispose_ReturnsFalse()
    {
        var transport = UdpDatagramTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        transport.Dispose();

        Assert.False(transport.Send("late"u8, new IPEndPoint(IPAddress.Loopback, 9)));
        Assert.Equal(1, transport.Statistics.SendFailures);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task DisposeDuringTraffic_NothingEmittedAfterCompletion(bool batched)
    {
        var transport = Bind("127.0.0.1", batched);
        using var sender = UdpDatagramTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        bool completed = false;
        bool emittedAfterCompletion = false;
        var firstArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using IDisposable subscription = transport.Received.Subscribe(
            _ =>
            {
                emittedAfterCompletion |= Volatile.Read(ref completed);
                firstArrived.TrySetResult();
            },
            () => Volatile.Write(ref completed, true));
        Task flood = Task.Run(() =>
        {
            for (int i = 0; i < 2000; i++)
            {
                sender.Send("flood"u8, transport.LocalEndPoint);
            }
        });

        await firstArrived.Task.WaitAsync(Wait);
        transport.Dispose();
        await flood.WaitAsync(Wait);

        Assert.True(Volatile.Read(ref completed));
        Assert.False(emittedAfterCompletion);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SocketClosedUnderneath_ReceivedFailsOnceAndTransportCloses(bool batched)
    {
        var transport = Bind("127.0.0.1", batched);
        int errors = 0;
        int completions = 0;
        var failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using IDisposable subscription = transport.Received.Subscribe(
            _ => { },
            _ =>
            {
                Interlocked.Increment(ref errors);
                failed.TrySetResult();
            },
            () => Interlocked.Increment(ref completions));

        transport.Bindings[0].Socket.Dispose();
        await failed.Task.WaitAsync(Wait);
        transport.Dispose();

        Assert.Equal(1, errors);
        Assert.Equal(0, completions);
        Assert.False(transport.Send("x"u8, new IPEndPoint(IPAddress.Loopback, 9)));
    }

    [Fact]
    public async Task ObserverThrows_ReceivedFailsWithItsException()
    {
        using var transport = UdpDatagramTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var sender = UdpDatagramTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using IDisposable faulty = transport.Received.Subscribe(_ => throw new InvalidOperationException("observer bug"), _ => { });
        Task<Notification<Datagram>> end = transport.Received.Materialize().FirstAsync().Timeout(Wait).ToTask();

        Assert.True(sender.Send("x"u8, transport.LocalEndPoint));

        Notification<Datagram> notification = await end;
        Assert.Equal(NotificationKind.OnError, notification.Kind);
        Assert.Equal("observer bug", notification.Exception!.Message);
    }

    [Fact]
    public void BindToUsedPort_ThrowsSocketException()
    {
        using var first = UdpDatagramTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        var error = Assert.Throws<SocketException>(() => UdpDatagramTransport.Bind(first.LocalEndPoint));
        Assert.Equal(SocketError.AddressAlreadyInUse, error.SocketErrorCode);
    }

    private static UdpDatagramTransport Bind(string address, bool batched) =>
        UdpDatagramTransport.Bind(new UdpTransportOptions { BindEndPoint = new IPEndPoint(IPAddress.Parse(address), 0), BatchedReceive = batched });

    private static Task<Received> NextAsync(UdpDatagramTransport transport) =>
        transport.Received.Select(Copy).FirstAsync().Timeout(Wait).ToTask();

    private static Task<Received[]> NextAsync(UdpDatagramTransport transport, int count) =>
        transport.Received.Select(Copy).Take(count).ToArray().Timeout(Wait).ToTask();

    // The payload buffer is reused after OnNext returns: copy it inside the callback.
    private static Received Copy(Datagram datagram) =>
        new(datagram.Payload.ToArray(), datagram.RemoteEndPoint, datagram.LocalEndPoint);

    private static IPEndPoint DeadEndPoint()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return (IPEndPoint)socket.LocalEndPoint!;
    }

    private sealed record Received(byte[] Payload, IPEndPoint Remote, IPEndPoint Local);
}
