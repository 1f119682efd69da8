using System.Net;
using System.Net.Sockets;
using System.Text;
using Holepunch.Reactive.Peers;
using Holepunch.Reactive.Rendezvous;
using Holepunch.Reactive.Transport;
using Xunit.Abstractions;

namespace Holepunch.Reactive.IntegrationTests.Rendezvous;

/// <summary>
/// A bounded flood on loopback with real UDP sockets: 50,000 datagrams from several source addresses (garbage, requests
/// whose replies would amplify, joins of unknown rooms, registrations) while honest clients host and join a room.
/// </summary>
public sealed class RendezvousServerFloodTests(ITestOutputHelper output)
{
    private const int FloodDatagrams = 50_000;
    private const int FloodSources = 8;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private static readonly byte[][] FloodPayloads =
    [
        Encoding.UTF8.GetBytes("garbage that is not json"),
        Encoding.UTF8.GetBytes("""{"type":"registering-server"}"""),
        Encoding.UTF8.GetBytes("""{"type":"requesting-to-join-server","local-address":["10.0.0.1",1],"server-name":"nowhere","sender":"x"}"""),
        Encoding.UTF8.GetBytes("""{"type":"registering-server","local-address":["10.0.0.1",1],"seconds-before-expiry":300,"sender":"squat"}"""),
        Encoding.UTF8.GetBytes("""{"type":"peer-check","sender":"a","intended-recipient":"b"}"""),
        new byte[1200],
    ];

    [LinuxFact]
    public async Task FloodFromSeveralSources_ServerDropsItAndStillServesHonestClients()
    {
        using var transport = UdpDatagramTransport.Bind(new UdpTransportOptions { BindEndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
        using var server = new RendezvousServer(transport);
        server.Start();
        var serverEndPoint = transport.LocalEndPoint;

        // Flood sources on other loopback addresses (127.0.1.x: each is its own source to the rate limiter).
        var flooders = Enumerable.Range(1, FloodSources).Select(i =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Parse($"127.0.1.{i}"), 0));
            return socket;
        }).ToArray();
        using var flooding = new CancellationTokenSource(Wait);
        var flood = Task.Run(() => Flood(flooders, serverEndPoint, flooding.Token));

        try
        {
            var options = new HolepunchClientOptions { RendezvousEndPoint = serverEndPoint, LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 0) };
            await using var host = await HolepunchClient.HostAsync("room", options).WaitAsync(Wait);
            await using var joiner = await HolepunchClient.JoinAsync("joiner", "room", options).WaitAsync(Wait);
            var sent = await flood.WaitAsync(Wait);

            Assert.Contains(host.Peers.Items, p => p.Name == "joiner");
            Assert.Contains(joiner.Peers.Items, p => p.Name == "room");

            // Let the server drain what the kernel still holds, then report.
            await Task.Delay(200);
            var counters = server.Counters;
            output.WriteLine($"flood: {sent} datagrams sent from {FloodSources} sources; at least {sent - counters.DatagramsReceived} lost before the server read them (socket buffer)");
            output.WriteLine($"server: {counters}");
            foreach (var reason in Enum.GetValues<RendezvousDropReason>())
            {
                output.WriteLine($"  dropped {reason}: {counters.Dropped(reason)}");
            }

            output.WriteLine($"transport: {transport.Statistics}");
            Assert.Equal(FloodDatagrams, sent);
            Assert.True(counters.Dropped(RendezvousDropReason.RateLimited) > counters.DatagramsReceived / 2, "Most of the flood was rate-limited.");
            Assert.True(counters.DatagramsSent < counters.DatagramsReceived / 10, "The server answered a small part of the flood only.");
            Assert.Equal(1, counters.Joins);
        }
        finally
        {
            await flooding.CancelAsync();
            foreach (var socket in flooders)
            {
                socket.Dispose();
            }
        }
    }

    /// <summary>Sends the flood, paced in batches over about two seconds so it overlaps the honest clients.</summary>
    private static async Task<int> Flood(Socket[] flooders, IPEndPoint server, CancellationToken cancellation)
    {
        const int Batch = 1_000;
        var sent = 0;
        while (sent < FloodDatagrams && !cancellation.IsCancellationRequested)
        {
            for (var i = 0; i < Batch && sent < FloodDatagrams; i++, sent++)
            {
                flooders[sent % flooders.Length].SendTo(FloodPayloads[sent % FloodPayloads.Length], server);
            }

            await Task.Delay(40, CancellationToken.None);
        }

        return sent;
    }
}
