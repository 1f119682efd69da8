using System.Net;
using System.Text;
using System.Text.Json;
using Holepunch.Reactive.Peers;
using Holepunch.Reactive.Protocol;
using Holepunch.Reactive.Testing.Network;
using Holepunch.Reactive.Transport;

namespace Holepunch.Reactive.Tests.Peers;

/// <summary>Issue 6: two of our peers that both announce <c>batch</c> send what one turn queued in <c>peer-batch</c> datagrams.</summary>
public sealed class BatchingTests
{
    private static JsonElement Json<T>(T value) => JsonSerializer.SerializeToElement(value);

    /// <summary>A world with a host and a joiner connected, each socket sniffed and able to drop what it sends.</summary>
    private sealed class Pair : IDisposable
    {
        private Pair(ClientWorld world, LossyTransport hostSocket, LossyTransport joinerSocket, HolepunchClient host, HolepunchClient joiner)
        {
            (World, HostSocket, JoinerSocket, Host, Joiner) = (world, hostSocket, joinerSocket, host, joiner);
        }

        public ClientWorld World { get; }

        public LossyTransport HostSocket { get; }

        public LossyTransport JoinerSocket { get; }

        public HolepunchClient Host { get; }

        public HolepunchClient Joiner { get; }

        public IPEndPoint HostEndPoint => Assert.Single(Joiner.Peers.Items).EndPoint;

        public static async Task<Pair> ConnectAsync(
            bool secure = false, bool relayed = false, bool echoCapabilities = true, bool hostBatches = true)
        {
            var world = new ClientWorld();
            world.Server.RelayEnabled = relayed;
            world.Server.EchoCapabilities = echoCapabilities;
            var nat = relayed ? NatOptions.Symmetric : NatOptions.PortRestrictedCone;
            var hostSocket = new LossyTransport(world.Bind(world.AddNat(nat), "192.168.1.10"));
            var joinerSocket = new LossyTransport(world.Bind(world.AddNat(nat), "192.168.2.20"));
            var host = world.Client(world.Options(hostSocket) with { SecurePeers = secure, BatchPeerMessages = hostBatches });
            var joiner = world.Client(world.Options(joinerSocket) with { SecurePeers = secure });
            _ = host.HostAsync("room");
            world.Run(TimeSpan.FromSeconds(1));
            var joining = joiner.JoinAsync("joiner", "room");
            world.Run(TimeSpan.FromSeconds(10));
            await joining;
            hostSocket.Sent.Clear();
            joinerSocket.Sent.Clear();
            return new Pair(world, hostSocket, joinerSocket, host, joiner);
        }

        /// <summary>What a socket sent to its peer (not to the rendezvous server, unless relayed).</summary>
        public List<string> PeerTraffic(LossyTransport socket, bool relayed = false) =>
            [.. socket.Sent.Where(d => relayed || !d.To.Equals(World.Server.EndPoint)).Select(d => d.Text)];

        public void Dispose() => World.Dispose();
    }

    [Fact]
    public async Task TenReliableMessagesInOneTurn_TravelInOneDatagram_AndArriveOnceEachInOrder()
    {
        using var pair = await Pair.ConnectAsync();
        var received = new List<int>();
        using var s = pair.Host.ReliableMessages.Subscribe(m => received.Add(m.Message.GetInt32()));

        var sends = Enumerable.Range(0, 10).Select(i => pair.Joiner.SendReliableAsync("room", Json(i))).ToArray();
        pair.World.Run(TimeSpan.FromSeconds(2));

        Assert.All(sends, t => Assert.True(t.IsCompletedSuccessfully));
        Assert.Equal(Enumerable.Range(0, 10), received);
        var batch = Assert.Single(pair.PeerTraffic(pair.JoinerSocket));
        Assert.StartsWith("{\"type\":\"peer-batch\",\"sender\":\"joiner\",\"intended-recipient\":\"room\",\"messages\":[", batch, StringComparison.Ordinal);
        Assert.Contains("[{\"message\":0,\"message-id\":0,\"type\":\"reliable-peer-message\"},{\"message\":1,", batch, StringComparison.Ordinal);
        Assert.Equal(0, pair.Host.Statistics.DuplicateReliableMessages);
        Assert.Equal(0, pair.Host.Statistics.TotalDrops + pair.Joiner.Statistics.TotalDrops);
    }

    [Fact]
    public async Task ReliableMessagesReceivedInOneTurn_AreAcknowledgedInOneDatagramAsAnIdList()
    {
        using var pair = await Pair.ConnectAsync();

        var sends = Enumerable.Range(0, 10).Select(i => pair.Joiner.SendReliableAsync("room", Json(i))).ToArray();
        pair.World.Run(TimeSpan.FromSeconds(2));

        Assert.All(sends, t => Assert.True(t.IsCompletedSuccessfully));
        Assert.Equal(
            ["{\"type\":\"peer-batch\",\"sender\":\"room\",\"intended-recipient\":\"joiner\",\"acks\":[0,1,2,3,4,5,6,7,8,9]}"],
            pair.PeerTraffic(pair.HostSocket));
    }

    [Fact]
    public async Task AcknowledgementsAndMessagesOfOneTurn_LeaveTogether()
    {
        using var pair = await Pair.ConnectAsync();
        var atJoiner = new List<string>();
        using var s = pair.Joiner.UnreliableMessages.Subscribe(m => atJoiner.Add(m.Message.GetString()!));

        // The host answers each message it receives within the turn that handles it: reply and acknowledgement share a datagram.
        using var echo = pair.Host.ReliableMessages.Subscribe(m => pair.Host.SendUnreliable("joiner", Json("re " + m.Message.GetInt32())));
        var sends = Enumerable.Range(0, 3).Select(i => pair.Joiner.SendReliableAsync("room", Json(i))).ToArray();
        pair.World.Run(TimeSpan.FromSeconds(2));

        Assert.All(sends, t => Assert.True(t.IsCompletedSuccessfully));
        Assert.Equal(["re 0", "re 1", "re 2"], atJoiner);
        var fromHost = Assert.Single(pair.PeerTraffic(pair.HostSocket));
        Assert.StartsWith("{\"type\":\"peer-batch\",\"sender\":\"room\",\"intended-recipient\":\"joiner\",\"acks\":[0,1,2],\"messages\":[{\"message\":\"re 0\",", fromHost, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneMessageInATurn_TravelsAloneExactlyAsWithoutBatching()
    {
        using var pair = await Pair.ConnectAsync();

        pair.Joiner.SendUnreliable("room", Json("solo"));
        pair.World.Run(TimeSpan.FromMilliseconds(100));

        Assert.Equal(
            ["{\"message\":\"solo\",\"type\":\"unreliable-peer-message\",\"sender\":\"joiner\",\"intended-recipient\":\"room\"}"],
            pair.PeerTraffic(pair.JoinerSocket));
    }

    [Fact]
    public async Task UnreliableMessagesOfOneTurn_ShareADatagram()
    {
        using var pair = await Pair.ConnectAsync();
        var received = new List<int>();
        using var s = pair.Host.UnreliableMessages.Subscribe(m => received.Add(m.Message.GetInt32()));

        for (var i = 0; i < 5; i++)
        {
            pair.Joiner.SendUnreliable("room", Json(i));
        }

        pair.World.Run(TimeSpan.FromMilliseconds(100));

        Assert.Equal([0, 1, 2, 3, 4], received);
        var batch = Assert.Single(pair.PeerTraffic(pair.JoinerSocket));
        Assert.Equal(5, JsonDocument.Parse(batch).RootElement.GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task ManyMessages_SplitIntoDatagramsWithinTheLimit_InOrder()
    {
        using var pair = await Pair.ConnectAsync(secure: true);
        var received = new List<int>();
        using var s = pair.Host.ReliableMessages.Subscribe(m => received.Add(m.Message.GetProperty("i").GetInt32()));

        var sends = Enumerable.Range(0, 100).Select(i => pair.Joiner.SendReliableAsync("room", Json(new { i, pad = new string('x', 64) }))).ToArray();
        pair.World.Run(TimeSpan.FromSeconds(2));

        Assert.All(sends, t => Assert.True(t.IsCompletedSuccessfully));
        Assert.Equal(Enumerable.Range(0, 100), received);
        var datagrams = pair.JoinerSocket.Sent.Where(d => !d.To.Equals(pair.World.Server.EndPoint)).ToList();
        Assert.InRange(datagrams.Count, 10, 50);
        Assert.All(datagrams, d => Assert.InRange(Encoding.UTF8.GetByteCount(d.Text), 1, 1200));
    }

    [Fact]
    public async Task AMessageLargerThanABatch_TravelsAlone_AndTheRestStillBatch()
    {
        using var pair = await Pair.ConnectAsync();
        var received = new List<string>();
        using var s = pair.Host.ReliableMessages.Subscribe(m => received.Add(m.Message.GetString()!));
        var large = new string('L', 3000);

        var sends = new[] { "a", "b", large, "c", "d" }.Select(m => pair.Joiner.SendReliableAsync("room", Json(m))).ToArray();
        pair.World.Run(TimeSpan.FromSeconds(2));

        Assert.All(sends, t => Assert.True(t.IsCompletedSuccessfully));
        Assert.Equal(["a", "b", large, "c", "d"], received);
        var traffic = pair.PeerTraffic(pair.JoinerSocket);
        Assert.Equal(3, traffic.Count);
        Assert.StartsWith("{\"message\":\"LLL", traffic[1], StringComparison.Ordinal);
        Assert.All([traffic[0], traffic[2]], d => Assert.StartsWith("{\"type\":\"peer-batch\",", d, StringComparison.Ordinal));
    }

    [Fact]
    public async Task LostBatchDatagram_IsResent_AndEveryMessageIsDeliveredOnce()
    {
        using var pair = await Pair.ConnectAsync();
        var received = new List<int>();
        using var s = pair.Host.ReliableMessages.Subscribe(m => received.Add(m.Message.GetInt32()));
        pair.JoinerSocket.DropNext = 1;

        var sends = Enumerable.Range(0, 5).Select(i => pair.Joiner.SendReliableAsync("room", Json(i))).ToArray();
        pair.World.Run(TimeSpan.FromMilliseconds(500));
        Assert.Empty(received);
        pair.World.Run(TimeSpan.FromSeconds(2));

        Assert.All(sends, t => Assert.True(t.IsCompletedSuccessfully));
        Assert.Equal([0, 1, 2, 3, 4], received);
        Assert.Equal(2, pair.PeerTraffic(pair.JoinerSocket).Count(d => d.StartsWith("{\"type\":\"peer-batch\",", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task LostAcknowledgementBatch_ResendsAreAcknowledgedAgain_AndDeliveredOnce()
    {
        using var pair = await Pair.ConnectAsync();
        var received = new List<int>();
        using var s = pair.Host.ReliableMessages.Subscribe(m => received.Add(m.Message.GetInt32()));
        pair.HostSocket.DropNext = 1;

        var sends = Enumerable.Range(0, 5).Select(i => pair.Joiner.SendReliableAsync("room", Json(i))).ToArray();
        pair.World.Run(TimeSpan.FromSeconds(3));

        Assert.All(sends, t => Assert.True(t.IsCompletedSuccessfully));
        Assert.Equal([0, 1, 2, 3, 4], received);
        Assert.Equal(5, pair.Host.Statistics.DuplicateReliableMessages);
        Assert.Equal(2, pair.PeerTraffic(pair.HostSocket).Count(d => d.Contains("\"acks\":[0,1,2,3,4]", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Sealed_ABatchIsSealedOnce()
    {
        using var pair = await Pair.ConnectAsync(secure: true);
        var received = new List<int>();
        using var s = pair.Host.ReliableMessages.Subscribe(m => received.Add(m.Message.GetInt32()));

        var sends = Enumerable.Range(0, 5).Select(i => pair.Joiner.SendReliableAsync("room", Json(i))).ToArray();
        pair.World.Run(TimeSpan.FromSeconds(2));

        Assert.All(sends, t => Assert.True(t.IsCompletedSuccessfully));
        Assert.Equal([0, 1, 2, 3, 4], received);
        var sent = Assert.Single(pair.PeerTraffic(pair.JoinerSocket));
        Assert.StartsWith("{\"type\":\"sealed-peer-datagram\",", sent, StringComparison.Ordinal);
        Assert.StartsWith("{\"type\":\"sealed-peer-datagram\",", Assert.Single(pair.PeerTraffic(pair.HostSocket)), StringComparison.Ordinal);
        Assert.True(Assert.Single(pair.Host.Peers.Items).IsAuthenticated);
        Assert.Equal(0, pair.Host.Statistics.TotalDrops + pair.Joiner.Statistics.TotalDrops);
    }

    [Fact]
    public async Task Relayed_ABatchIsOneRelayDatagramEachWay()
    {
        using var pair = await Pair.ConnectAsync(secure: true, relayed: true);
        Assert.Equal(PeerAddressKind.Relay, Assert.Single(pair.Joiner.Peers.Items).Via);
        var received = new List<int>();
        using var s = pair.Host.ReliableMessages.Subscribe(m => received.Add(m.Message.GetInt32()));
        var relayedBefore = pair.World.Server.RelayedDatagrams;

        var sends = Enumerable.Range(0, 5).Select(i => pair.Joiner.SendReliableAsync("room", Json(i))).ToArray();
        pair.World.Run(TimeSpan.FromSeconds(2));

        Assert.All(sends, t => Assert.True(t.IsCompletedSuccessfully));
        Assert.Equal([0, 1, 2, 3, 4], received);
        Assert.Equal(2, pair.World.Server.RelayedDatagrams - relayedBefore);
        var sent = Assert.Single(pair.JoinerSocket.Sent, d => d.Text.Contains("relay-datagram", StringComparison.Ordinal));
        Assert.InRange(Encoding.UTF8.GetByteCount(sent.Text), 1, 1200);
    }

    [Theory]
    [InlineData(false, true)] // the server passes no capabilities on (or the peer announced none)
    [InlineData(true, false)] // the host has batching off: it does not announce it, and the joiner does not batch to it
    public async Task PeerWithoutTheCapability_GetsOneMessagePerDatagram_ByteForByte(bool echoCapabilities, bool hostBatches)
    {
        using var pair = await Pair.ConnectAsync(echoCapabilities: echoCapabilities, hostBatches: hostBatches);
        var received = new List<int>();
        using var s = pair.Host.ReliableMessages.Subscribe(m => received.Add(m.Message.GetInt32()));

        var sends = Enumerable.Range(0, 3).Select(i => pair.Joiner.SendReliableAsync("room", Json(i))).ToArray();
        pair.World.Run(TimeSpan.FromSeconds(2));

        Assert.All(sends, t => Assert.True(t.IsCompletedSuccessfully));
        Assert.Equal([0, 1, 2], received);
        Assert.Equal(
            Enumerable.Range(0, 3).Select(i => $"{{\"message\":{i},\"message-id\":{i},\"type\":\"reliable-peer-message\",\"sender\":\"joiner\",\"intended-recipient\":\"room\"}}"),
            pair.PeerTraffic(pair.JoinerSocket));
        Assert.Equal(
            Enumerable.Range(0, 3).Select(i => $"{{\"message\":{i},\"message-id\":{i},\"type\":\"reliable-peer-message-response\",\"sender\":\"room\",\"intended-recipient\":\"joiner\"}}"),
            pair.PeerTraffic(pair.HostSocket));
    }

    [Fact]
    public async Task MalformedBatchEntries_AreCountedDrops_AndTheGoodEntriesStillCount()
    {
        using var pair = await Pair.ConnectAsync();
        var received = new List<int>();
        using var s = pair.Host.ReliableMessages.Subscribe(m => received.Add(m.Message.GetInt32()));
        const string Routing = "\"sender\":\"joiner\",\"intended-recipient\":\"room\"";
        var entries = string.Join(",",
            $"{{\"message\":7,\"message-id\":7,\"type\":\"reliable-peer-message\",{Routing}}}",
            $"{{\"message\":8,\"type\":\"reliable-peer-message\",{Routing}}}", // no id
            $"{{\"type\":\"peer-batch\",{Routing},\"messages\":[]}}", // a batch cannot nest
            $"{{\"used-global\":true,\"type\":\"local-global-inqury\",{Routing}}}", // a probe is not batched
            "\"not an object\"",
            $"{{\"message\":9,\"message-id\":9,\"type\":\"reliable-peer-message\",\"sender\":\"mallory\",\"intended-recipient\":\"room\"}}");

        Inject(pair, $"{{\"type\":\"peer-batch\",{Routing},\"acks\":[\"x\",-1],\"messages\":[{entries}]}}");
        Inject(pair, $"{{\"type\":\"peer-batch\",{Routing},\"messages\":{{}}}}");
        Inject(pair, $"{{\"type\":\"peer-batch\",{Routing}}}");
        pair.World.Run(TimeSpan.FromMilliseconds(100));

        Assert.Equal([7], received);
        var drops = pair.Host.Statistics.Drops;
        Assert.Equal(7, drops["bad-batch-entry"]);
        Assert.Equal(1, drops["WrongType"]);
        Assert.Equal(1, drops["MissingField"]);
    }

    [Fact]
    public async Task ABatchOfMoreThanTheLimit_IsCutAtTheLimit_AndTheRestCounted()
    {
        using var pair = await Pair.ConnectAsync();
        var received = 0;
        using var s = pair.Host.UnreliableMessages.Subscribe(_ => received++);
        var entry = "{\"message\":1,\"type\":\"unreliable-peer-message\",\"sender\":\"joiner\",\"intended-recipient\":\"room\"}";

        Inject(pair, $"{{\"type\":\"peer-batch\",\"sender\":\"joiner\",\"intended-recipient\":\"room\",\"messages\":[{string.Join(",", Enumerable.Repeat(entry, 70))}]}}");
        pair.World.Run(TimeSpan.FromMilliseconds(100));

        Assert.Equal(PeerBatch.MaxMessages, received);
        Assert.Equal(70 - PeerBatch.MaxMessages, pair.Host.Statistics.Drops["bad-batch-entry"]);
    }

    [Fact]
    public async Task SecurePeer_AnUnsealedBatch_IsDropped()
    {
        using var pair = await Pair.ConnectAsync(secure: true);
        var received = 0;
        using var s = pair.Host.UnreliableMessages.Subscribe(_ => received++);

        Inject(pair, "{\"type\":\"peer-batch\",\"sender\":\"joiner\",\"intended-recipient\":\"room\",\"messages\":[{\"message\":1,\"type\":\"unreliable-peer-message\",\"sender\":\"joiner\",\"intended-recipient\":\"room\"}]}");
        pair.World.Run(TimeSpan.FromMilliseconds(100));

        Assert.Equal(0, received);
        Assert.Equal(1, pair.Host.Statistics.Drops["unsealed-from-secure-peer"]);
    }

    [Fact]
    public void GodotPeer_GetsOneMessagePerDatagram_AndOneMirroringAcknowledgementPerMessage()
    {
        var (world, host, godot, hostGlobal, _) = ClientWorld.HostWithGodotJoiner();
        using var scope = world;
        godot.Send("{\"used-global\":true,\"type\":\"local-global-inquiry-response\",\"sender\":\"godot\",\"intended-recipient\":\"room\"}", hostGlobal);
        world.Run(TimeSpan.FromMilliseconds(100));
        Assert.Single(host.Peers.Items);
        godot.Received.Clear();

        _ = host.SendReliableAsync("godot", Json("a"));
        _ = host.SendReliableAsync("godot", Json("b"));
        host.SendUnreliable("godot", Json("c"));
        godot.Send("{\"message\":\"x\",\"message-id\":0.0,\"type\":\"reliable-peer-message\",\"sender\":\"godot\",\"intended-recipient\":\"room\"}", hostGlobal);
        godot.Send("{\"message\":\"y\",\"message-id\":1.0,\"type\":\"reliable-peer-message\",\"sender\":\"godot\",\"intended-recipient\":\"room\"}", hostGlobal);
        world.Run(TimeSpan.FromMilliseconds(100));

        Assert.Equal(
            [
                "{\"message\":\"a\",\"message-id\":0,\"type\":\"reliable-peer-message\",\"sender\":\"room\",\"intended-recipient\":\"godot\"}",
                "{\"message\":\"b\",\"message-id\":1,\"type\":\"reliable-peer-message\",\"sender\":\"room\",\"intended-recipient\":\"godot\"}",
                "{\"message\":\"c\",\"type\":\"unreliable-peer-message\",\"sender\":\"room\",\"intended-recipient\":\"godot\"}",
                "{\"message\":\"x\",\"message-id\":0,\"type\":\"reliable-peer-message-response\",\"sender\":\"room\",\"intended-recipient\":\"godot\"}",
                "{\"message\":\"y\",\"message-id\":1,\"type\":\"reliable-peer-message-response\",\"sender\":\"room\",\"intended-recipient\":\"godot\"}",
            ],
            godot.ReceivedFrom(hostGlobal).Where(t => t.Contains("\"message\"", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    /// <summary>Sends raw text from the joiner's own socket to the host, as if the joiner had sent it.</summary>
    private static void Inject(Pair pair, string json) =>
        pair.JoinerSocket.Inner.Send(Encoding.UTF8.GetBytes(json), pair.HostEndPoint);

    /// <summary>Records the text of every datagram it sends, and can drop the next few instead of sending them.</summary>
    private sealed class LossyTransport(IDatagramTransport inner) : IDatagramTransport
    {
        public IDatagramTransport Inner => inner;

        public List<(string Text, IPEndPoint To)> Sent { get; } = [];

        public int DropNext { get; set; }

        public IPEndPoint LocalEndPoint => inner.LocalEndPoint;

        public IObservable<Datagram> Received => inner.Received;

        public bool Send(ReadOnlySpan<byte> payload, IPEndPoint remoteEndPoint, IPAddress? localAddress = null)
        {
            Sent.Add((Encoding.UTF8.GetString(payload), remoteEndPoint));
            if (DropNext > 0)
            {
                DropNext--;
                return true;
            }

            return inner.Send(payload, remoteEndPoint, localAddress);
        }

        public void Dispose() => inner.Dispose();
    }
}
