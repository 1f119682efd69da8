using System.Reactive.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using Holepunch.Reactive.Peers;
using Holepunch.Reactive.Peers.Events;
using Holepunch.Reactive.Resilience;
using Holepunch.Reactive.Testing.Network;

namespace Holepunch.Reactive.Tests.Peers;

public sealed partial class MessagingTests
{
    private static JsonElement Json<T>(T value) => JsonSerializer.SerializeToElement(value);

    private static async Task<(ClientWorld World, HolepunchClient Host, HolepunchClient Joiner)> ConnectedAsync(
        LinkOptions? link = null, RequestRetryOptions? retry = null, int seed = 1, bool ordered = false)
    {
        var world = new ClientWorld(link, seed);
        var hostSocket = world.Bind(world.AddNat(NatOptions.PortRestrictedCone), "192.168.1.10");
        var joinerSocket = world.Bind(world.AddNat(NatOptions.PortRestrictedCone), "192.168.2.20");
        var host = world.Client(world.Options(hostSocket, retry) with { OrderedReliableDelivery = ordered });
        var joiner = world.Client(world.Options(joinerSocket, retry) with { OrderedReliableDelivery = ordered });
        _ = host.HostAsync("room");
        world.Run(TimeSpan.FromSeconds(2));
        var joining = joiner.JoinAsync("joiner", "room");
        world.Run(TimeSpan.FromSeconds(20));
        await joining;
        return (world, host, joiner);
    }

    [Fact]
    public async Task UnreliableMessages_ArriveBothWays()
    {
        var (world, host, joiner) = await ConnectedAsync();
        using var scope = world;
        var atHost = new List<PeerMessage>();
        var atJoiner = new List<PeerMessage>();
        using var s1 = host.UnreliableMessages.Subscribe(atHost.Add);
        using var s2 = joiner.UnreliableMessages.Subscribe(atJoiner.Add);

        joiner.SendUnreliable("room", Json(new { x = 1 }));
        host.SendUnreliable("joiner", Json("pong"));
        world.Run(TimeSpan.FromSeconds(1));

        var first = Assert.Single(atHost);
        Assert.Equal(("joiner", false, (long?)null), (first.From, first.IsReliable, first.MessageId));
        Assert.Equal(1, first.Message.GetProperty("x").GetInt32());
        Assert.Equal("pong", Assert.Single(atJoiner).Message.GetString());
    }

    [Fact]
    public async Task ReliableMessages_AreAcknowledgedAndDeliveredBothWays()
    {
        var (world, host, joiner) = await ConnectedAsync();
        using var scope = world;
        var atHost = new List<PeerMessage>();
        var atJoiner = new List<PeerMessage>();
        var delivered = new List<ReliableMessageDelivered>();
        using var s1 = host.ReliableMessages.Subscribe(atHost.Add);
        using var s2 = joiner.ReliableDeliveries.Subscribe(delivered.Add);
        using var s3 = joiner.ReliableMessages.Subscribe(atJoiner.Add);

        var sending = joiner.SendReliableAsync("room", Json("hello"));
        var reply = host.SendReliableAsync("joiner", Json("welcome"));
        world.Run(TimeSpan.FromSeconds(1));

        var receipt = await sending;
        Assert.Equal(("room", 0L), (receipt.PeerName, receipt.MessageId));
        Assert.True(receipt.RoundTripTime > TimeSpan.Zero);
        var replyReceipt = await reply;
        Assert.Equal(("joiner", 0L), (replyReceipt.PeerName, replyReceipt.MessageId));
        Assert.Equal("welcome", Assert.Single(atJoiner).Message.GetString());
        var message = Assert.Single(atHost);
        Assert.Equal(("joiner", true, (long?)0), (message.From, message.IsReliable, message.MessageId));
        Assert.Equal("hello", Assert.Single(delivered).Message.GetString());
    }

    [Fact]
    public async Task ThirtyPercentLoss_EveryReliableMessageIsDeliveredExactlyOnce()
    {
        // 30 % a link is 51 % a direction: a message and its acknowledgement both get through one attempt in four, so
        // 20 attempts left a 0.4 % chance per message (and per batch of messages) of never being acknowledged.
        var retry = new RequestRetryOptions { MaxAttempts = 40 };
        var (world, host, joiner) = await ConnectedAsync(new LinkOptions { Latency = TimeSpan.FromMilliseconds(10) }, retry);
        using var scope = world;
        var received = new List<long>();
        using var s = host.ReliableMessages.Subscribe(m => received.Add(m.Message.GetInt64()));
        SetLoss(world, 0.3);

        var sends = Enumerable.Range(0, 200).Select(i => joiner.SendReliableAsync("room", Json(i))).ToArray();
        world.Run(TimeSpan.FromSeconds(60));

        Assert.All(sends, s => Assert.True(s.IsCompletedSuccessfully));
        Assert.Equal(Enumerable.Range(0, 200).Select(i => (long)i), received.Order());
        Assert.True(host.Statistics.DuplicateReliableMessages > 0, "loss of acknowledgements must have caused resends");
        Assert.True(world.Network.Statistics.Count(DatagramOutcome.Lost) > 0);
    }

    [Fact]
    public async Task OrderedDelivery_UnderLossAndReordering_KeepsSendOrder()
    {
        var retry = new RequestRetryOptions { MaxAttempts = 20, ReplyTimeout = TimeSpan.FromMilliseconds(200) };
        var (world, host, joiner) = await ConnectedAsync(new LinkOptions { Latency = TimeSpan.FromMilliseconds(10) }, retry, ordered: true);
        using var scope = world;
        var received = new List<long>();
        using var s = host.ReliableMessages.Subscribe(m => received.Add(m.Message.GetInt64()));
        SetLoss(world, 0.2, jitter: TimeSpan.FromMilliseconds(30));

        for (var i = 0; i < 100; i++)
        {
            _ = joiner.SendReliableAsync("room", Json(i));
        }

        world.Run(TimeSpan.FromSeconds(30));

        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), received);
    }

    [Fact]
    public async Task UnorderedDelivery_UnderReordering_DeliversOutOfOrder()
    {
        var (world, host, joiner) = await ConnectedAsync(new LinkOptions { Latency = TimeSpan.FromMilliseconds(10) });
        using var scope = world;
        var received = new List<long>();
        using var s = host.ReliableMessages.Subscribe(m => received.Add(m.Message.GetInt64()));
        SetLoss(world, 0, jitter: TimeSpan.FromMilliseconds(30));

        for (var i = 0; i < 50; i++)
        {
            _ = joiner.SendReliableAsync("room", Json(i));
            world.Run(TimeSpan.FromMilliseconds(2));
        }

        world.Run(TimeSpan.FromSeconds(5));

        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), received.Order());
        Assert.NotEqual(Enumerable.Range(0, 50).Select(i => (long)i), received);
    }

    [Fact]
    public async Task SilentPeer_ReliableSendTimesOutAfterTheRetryPolicy()
    {
        var (world, host, joiner) = await ConnectedAsync();
        using var scope = world;
        var timeouts = new List<ReliableMessageTimedOut>();
        using var s = joiner.ReliableTimeouts.Subscribe(timeouts.Add);
        SetLoss(world, 1.0);

        var sending = joiner.SendReliableAsync("room", Json("lost"));
        world.Run(TimeSpan.FromSeconds(2.9));
        Assert.False(sending.IsCompleted);
        world.Run(TimeSpan.FromSeconds(0.2));

        await Assert.ThrowsAsync<ReliableDeliveryTimeoutException>(() => sending);
        Assert.Equal("lost", Assert.Single(timeouts).Message.GetString());
    }

    [Fact]
    public async Task DropPeer_FailsItsPendingReliableMessages()
    {
        var (world, host, joiner) = await ConnectedAsync();
        using var scope = world;
        SetLoss(world, 1.0);
        var dropped = new List<PeerDropped>();
        using var s = joiner.PeerDrops.Subscribe(dropped.Add);

        var sending = joiner.SendReliableAsync("room", Json("never"));
        world.Run(TimeSpan.FromMilliseconds(500));
        joiner.DropPeer("room");
        world.Run(TimeSpan.FromMilliseconds(1));

        await Assert.ThrowsAsync<PeerNotConnectedException>(() => sending);
        Assert.Equal(new PeerDropped("room", PeerDropReason.Requested), Assert.Single(dropped));
    }

    [Fact]
    public async Task SendReliableAsync_UnknownPeer_FailsAtOnce()
    {
        var (world, host, _) = await ConnectedAsync();
        using var scope = world;

        var sending = host.SendReliableAsync("nobody", Json(1));
        world.Run(TimeSpan.FromMilliseconds(1));

        await Assert.ThrowsAsync<PeerNotConnectedException>(() => sending);
    }

    [Fact]
    public async Task SendReliableAsync_Cancelled_StopsResendingAndCancelsTheTask()
    {
        var (world, _, joiner) = await ConnectedAsync();
        using var scope = world;
        SetLoss(world, 1.0);
        using var cancellation = new CancellationTokenSource();

        var sending = joiner.SendReliableAsync("room", Json(1), cancellation.Token);
        world.Run(TimeSpan.FromMilliseconds(1500));
        var sentBefore = world.Network.Statistics.Sent;
        cancellation.Cancel();
        world.Run(TimeSpan.FromSeconds(5));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        Assert.True(world.Network.Statistics.Sent - sentBefore <= 1, "no resend after cancellation (a peer check may still go out)");
    }

    [Fact]
    public async Task SendReliableAsync_CancelledDuringItsFirstAttempt_IsCancelledAndNeverResent()
    {
        // The first attempt is sent and timed by the channel itself, before any retry pipeline exists.
        var (world, _, joiner) = await ConnectedAsync();
        using var scope = world;
        SetLoss(world, 1.0);
        using var cancellation = new CancellationTokenSource();
        var timedOut = 0;
        using var s = joiner.Events.OfType<ReliableMessageTimedOut>().Subscribe(_ => timedOut++);

        var sending = joiner.SendReliableAsync("room", Json(1), cancellation.Token);
        world.Run(TimeSpan.FromMilliseconds(300));
        var sentBefore = world.Network.Statistics.Sent;
        cancellation.Cancel();
        world.Run(TimeSpan.FromSeconds(5));

        var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        Assert.Equal(cancellation.Token, cancelled.CancellationToken);
        Assert.True(world.Network.Statistics.Sent - sentBefore <= 1, "no resend after cancellation (a peer check may still go out)");
        Assert.Equal(0, timedOut);
    }

    [Fact]
    public async Task TypedMessages_RoundTripThroughSourceGeneratedMetadata()
    {
        var (world, host, joiner) = await ConnectedAsync();
        using var scope = world;
        var moves = new List<Move?>();
        using var s = host.ReliableMessages.Where(m => m.From == "joiner").Select(m => m.As(MoveContext.Default.Move)).Subscribe(moves.Add);

        _ = joiner.SendReliableAsync("room", new Move(3, -4), MoveContext.Default.Move);
        joiner.SendUnreliable("room", new Move(0, 0), MoveContext.Default.Move);
        world.Run(TimeSpan.FromSeconds(1));

        Assert.Equal(new Move(3, -4), Assert.Single(moves));
    }

    private static void SetLoss(ClientWorld world, double loss, TimeSpan jitter = default) =>
        world.SetClientLinks(new LinkOptions { Latency = TimeSpan.FromMilliseconds(10), Loss = loss, Jitter = jitter });

    internal sealed record Move(int X, int Y);

    [JsonSerializable(typeof(Move))]
    internal sealed partial class MoveContext : JsonSerializerContext;
}
