using System.Net;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text.Json;
using Holepunch.Reactive.IntegrationTests.Rendezvous;
using Holepunch.Reactive.Peers;
using Holepunch.Reactive.Peers.Events;

namespace Holepunch.Reactive.IntegrationTests.Peers;

/// <summary>A C# host and a C# joiner (real UDP sockets, their own event loops) meet through a real server on 127.0.0.1.</summary>
public sealed class HolepunchClientLoopbackTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task HostAndJoiner_ExchangeReliableAndUnreliableMessagesBothWays()
    {
        using var server = new LoopbackRendezvousServer();
        var options = Options(server);
        await using var host = new HolepunchClient(options);
        await using var joiner = new HolepunchClient(options);
        var hostConfirmsJoiner = host.PeerConfirmations.FirstAsync().ToTask();

        await host.HostAsync("room").WaitAsync(Wait);
        await joiner.JoinAsync("alice", "room").WaitAsync(Wait);
        var confirmed = await hostConfirmsJoiner.WaitAsync(Wait);

        Assert.Equal("alice", confirmed.Peer.Name);
        Assert.Equal(joiner.LocalEndPoint, confirmed.Peer.EndPoint);
        Assert.Equal(host.LocalEndPoint, Assert.Single(joiner.Peers.Items).EndPoint);

        // Reliable, joiner to host and back.
        var atHost = host.ReliableMessages.FirstAsync().ToTask();
        var receipt = await joiner.SendReliableAsync("room", Json("\"hello host\"")).WaitAsync(Wait);
        var message = await atHost.WaitAsync(Wait);
        Assert.Equal(("alice", "hello host", true), (message.From, message.Message.GetString(), message.IsReliable));
        Assert.Equal(("room", message.MessageId), (receipt.PeerName, (long?)receipt.MessageId));

        var atJoiner = joiner.ReliableMessages.FirstAsync().ToTask();
        await host.SendReliableAsync("alice", Json("""{"move":[1,2]}""")).WaitAsync(Wait);
        var reply = await atJoiner.WaitAsync(Wait);
        Assert.Equal("room", reply.From);
        Assert.Equal("""{"move":[1,2]}""", reply.Message.GetRawText());

        // Unreliable, both ways (loopback does not lose datagrams).
        var unreliableAtHost = host.UnreliableMessages.FirstAsync().ToTask();
        var unreliableAtJoiner = joiner.UnreliableMessages.FirstAsync().ToTask();
        joiner.SendUnreliable("room", Json("1.5"));
        host.SendUnreliable("alice", Json("[true,null]"));
        var up = await unreliableAtHost.WaitAsync(Wait);
        var down = await unreliableAtJoiner.WaitAsync(Wait);
        Assert.Equal(("alice", "1.5", false), (up.From, up.Message.GetRawText(), up.IsReliable));
        Assert.Equal(("room", "[true,null]", false), (down.From, down.Message.GetRawText(), down.IsReliable));
        Assert.Equal(0, host.Statistics.TotalDrops);
    }

    [Fact]
    public async Task DisposeFromAnEventHandlerOnTheClientsOwnLoop_ClosesWithoutDeadlock()
    {
        using var server = new LoopbackRendezvousServer();
        var host = new HolepunchClient(Options(server));
        var disposedInHandler = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = host.Events.OfType<Registered>().Subscribe(_ =>
        {
            host.Dispose(); // on the client's own event loop
            disposedInHandler.TrySetResult();
        });

        await host.HostAsync("room").WaitAsync(Wait);
        await disposedInHandler.Task.WaitAsync(Wait);

        var terminated = await host.Completion.WaitAsync(Wait);
        Assert.Equal("closed", terminated.Reason);
    }

    [Fact]
    public async Task JoinOfUnknownRoom_FailsWithTheServersError()
    {
        using var server = new LoopbackRendezvousServer();
        await using var joiner = new HolepunchClient(Options(server));
        var errors = joiner.ServerErrors.FirstAsync().ToTask();

        var failure = await Assert.ThrowsAsync<RendezvousServerException>(() => joiner.JoinAsync("alice", "nowhere").WaitAsync(Wait));

        Assert.Contains("nowhere not found", failure.Message, StringComparison.Ordinal);
        Assert.Equal(new ServerErrorReceived("nowhere not found"), await errors.WaitAsync(Wait));
        Assert.NotNull((await joiner.Completion.WaitAsync(Wait)).Error);
    }

    [Fact]
    public async Task HostClosing_DropsNothingButTheJoinerStillHasItUntilChecksFail()
    {
        using var server = new LoopbackRendezvousServer();
        var options = Options(server);
        await using var host = new HolepunchClient(options);
        await using var joiner = new HolepunchClient(options);
        await host.HostAsync("room").WaitAsync(Wait);
        await joiner.JoinAsync("alice", "room").WaitAsync(Wait);

        await host.DisposeAsync().AsTask().WaitAsync(Wait);

        var terminated = await host.Completion.WaitAsync(Wait);
        Assert.Equal(("closed", null), (terminated.Reason, terminated.Error));
        Assert.Single(joiner.Peers.Items);
    }

    [Theory]
    [InlineData(50_000, true)]
    [InlineData(0, false)]
    public async Task BurstOfSendsFromOneThread_LeavesInFewDatagramsOnlyWithACoalescingWindow(int windowMicroseconds, bool coalesced)
    {
        // Few enough that one a datagram all fit in the receiver's socket buffer (unreliable datagrams are dropped when it
        // overflows, and on a busy machine the receiver may lag the burst).
        const int Messages = 50;
        using var server = new LoopbackRendezvousServer();
        var options = Options(server) with { BatchCoalescingWindow = TimeSpan.FromMicroseconds(windowMicroseconds) };
        await using var host = new HolepunchClient(options);
        await using var joiner = new HolepunchClient(options);
        var hostConfirmsJoiner = host.PeerConfirmations.FirstAsync().ToTask();
        await host.HostAsync("room").WaitAsync(Wait);
        await joiner.JoinAsync("alice", "room").WaitAsync(Wait);
        await hostConfirmsJoiner.WaitAsync(Wait);
        await Task.Yield();
        var message = Json("\"a small game state update\"");

        // A burst may find the joiner's loop held by its receive thread (a late punch datagram, handled while this thread
        // sends; on a loaded machine that thread can be preempted meanwhile): what is queued then leaves together, as it
        // should. Without a window, an idle loop sends each message at the end of its own turn: one of three bursts
        // shows it.
        var datagrams = new List<long>();
        for (var burst = 0; burst < (coalesced ? 1 : 3); burst++)
        {
            var all = host.UnreliableMessages.Take(Messages).ToList().ToTask();
            var sentBefore = joiner.Statistics.DatagramsSent;

            // One thread, back to back: each send is its own turn of the joiner's loop (run inline, as nothing else runs).
            for (var i = 0; i < Messages; i++)
            {
                joiner.SendUnreliable("room", message);
            }

            var received = await all.WaitAsync(Wait);
            Assert.Equal(Messages, received.Count);
            datagrams.Add(joiner.Statistics.DatagramsSent - sentBefore);
            if (!coalesced && datagrams[^1] >= Messages * 9 / 10)
            {
                break;
            }
        }

        if (coalesced)
        {
            Assert.True(datagrams[0] <= Messages / 2, $"{datagrams[0]} datagrams for {Messages} messages");
        }
        else
        {
            Assert.True(datagrams[^1] >= Messages * 9 / 10, $"{string.Join(", ", datagrams)} datagrams for {Messages} messages in each burst");
        }
    }

    private static HolepunchClientOptions Options(LoopbackRendezvousServer server) => new()
    {
        RendezvousEndPoint = server.EndPoint,
        LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
    };

    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
