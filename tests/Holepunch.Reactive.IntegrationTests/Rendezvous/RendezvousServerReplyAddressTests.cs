using System.Net;
using Holepunch.Reactive.Peers;
using Holepunch.Reactive.Transport;

namespace Holepunch.Reactive.IntegrationTests.Rendezvous;

/// <summary>
/// The Godot client accepts a reply only from the address it sent to: a server bound to 0.0.0.0 must answer from
/// the address each request arrived at. On Linux every address of 127.0.0.0/8 reaches the loopback interface.
/// </summary>
public sealed class RendezvousServerReplyAddressTests
{
    private static readonly IPAddress Loopback2 = IPAddress.Parse("127.0.0.2");

    private static readonly UdpTransportOptions Wildcard = new()
    {
        BindEndPoint = new IPEndPoint(IPAddress.Any, 0),
        BindAllLocalAddresses = true,
    };

    [LinuxFact]
    public async Task WildcardServer_RequestTo127002_IsAnsweredFrom127002()
    {
        using var server = new LoopbackRendezvousServer(Wildcard);
        using var host = new RawUdpPeer();
        var target = new IPEndPoint(Loopback2, server.Port);

        host.Send("""{"type":"registering-server","local-address":["127.0.0.1",4001],"seconds-before-expiry":60,"sender":"room","intended-recipient":""}""", target);

        Assert.Equal(target, await host.ExpectAsync("""{"type":"confirming-registration","intended-recipient":"room"}"""));
    }

    [LinuxFact]
    public async Task WildcardServer_JoinVia127002_EachSideIsAnsweredFromTheAddressItUsed()
    {
        using var server = new LoopbackRendezvousServer(Wildcard);
        using var host = new RawUdpPeer();
        using var joiner = new RawUdpPeer();
        var first = new IPEndPoint(IPAddress.Loopback, server.Port);
        var second = new IPEndPoint(Loopback2, server.Port);
        host.Send("""{"type":"registering-server","local-address":["127.0.0.1",4001],"seconds-before-expiry":60,"sender":"room","intended-recipient":""}""", first);
        Assert.Equal(first, (await host.ReceiveAsync()).From);

        joiner.Send("""{"type":"requesting-to-join-server","local-address":["127.0.0.1",4002],"server-name":"room","sender":"joiner","intended-recipient":""}""", second);

        Assert.Equal(first, (await host.ReceiveAsync()).From);
        Assert.Equal(second, (await joiner.ReceiveAsync()).From);
    }

    [LinuxFact]
    public async Task WildcardServer_ClientUsing127002_Registers()
    {
        using var server = new LoopbackRendezvousServer(Wildcard);
        var options = new HolepunchClientOptions
        {
            // The client drops server datagrams from any other address than this one.
            RendezvousEndPoint = new IPEndPoint(Loopback2, server.Port),
            LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
        };
        await using var client = new HolepunchClient(options);

        await client.HostAsync("room").WaitAsync(RawUdpPeer.Wait);

        Assert.Equal(1, server.Server.Registrations.Count);
    }
}
