using System.Globalization;

namespace Holepunch.Reactive.IntegrationTests.Rendezvous;

/// <summary>
/// The Godot client's datagrams, played byte for byte at a real server over real UDP on 127.0.0.1, and the exact
/// bytes that come back.
/// </summary>
public sealed class RendezvousServerWireTests
{
    private const string GodotRegistration =
        """{"type":"registering-server","local-address":["127.0.0.1",4001],"seconds-before-expiry":60,"sender":"room","intended-recipient":""}""";

    private const string Confirmation = """{"type":"confirming-registration","intended-recipient":"room"}""";

    /// <summary>A registration and a join in each spelling of the local address, and the local ports they carry.</summary>
    public static TheoryData<string, int, string, int> Spellings => new()
    {
        // The deployed Godot client: local-address, integers.
        {
            GodotRegistration, 4001,
            """{"type":"requesting-to-join-server","local-address":["127.0.0.1",4002],"server-name":"room","sender":"joiner","intended-recipient":""}""", 4002
        },
        // local-address with numbers as Godot parses them: floats.
        {
            """{"type":"registering-server","local-address":["127.0.0.1",4001.0],"seconds-before-expiry":60.0,"sender":"room","intended-recipient":""}""", 4001,
            """{"type":"requesting-to-join-server","local-address":["127.0.0.1",4002.0],"server-name":"room","sender":"joiner","intended-recipient":""}""", 4002
        },
        // The seed docs and the Python server: local-ip and local-port, floats, keys in another order.
        {
            """{"sender":"room","intended-recipient":"","type":"registering-server","local-ip":"127.0.0.1","local-port":4000.0,"seconds-before-expiry":60.0}""", 4000,
            """{"sender":"joiner","intended-recipient":"","type":"requesting-to-join-server","local-ip":"127.0.0.1","local-port":4003.0,"server-name":"room"}""", 4003
        },
    };

    /// <summary>The registrations of <see cref="Spellings"/>.</summary>
    public static TheoryData<string> Registrations => new(Spellings.Select(static row => (string)row[0]));

    [Theory]
    [MemberData(nameof(Registrations))]
    public async Task Registration_IsConfirmedFromTheServerAddress(string registration)
    {
        using var server = new LoopbackRendezvousServer();
        using var host = new RawUdpPeer();

        host.Send(registration, server.EndPoint);

        Assert.Equal(server.EndPoint, await host.ExpectAsync(Confirmation));
    }

    [Theory]
    [MemberData(nameof(Spellings))]
    public async Task Join_BothSidesGetTheOthersHandshakeInfo(string registration, int hostLocalPort, string join, int joinerLocalPort)
    {
        using var server = new LoopbackRendezvousServer();
        using var host = new RawUdpPeer();
        using var joiner = new RawUdpPeer();
        host.Send(registration, server.EndPoint);
        await host.ExpectAsync(Confirmation);

        joiner.Send(join, server.EndPoint);

        Assert.Equal(server.EndPoint, await host.ExpectAsync(Invariant(
            $$"""{"type":"providing-peer-handshake-info","peer-name":"joiner","global-address":["127.0.0.1",{{joiner.Port}}],"local-address":["127.0.0.1",{{joinerLocalPort}}],"intended-recipient":"room"}""")));
        Assert.Equal(server.EndPoint, await joiner.ExpectAsync(Invariant(
            $$"""{"type":"providing-peer-handshake-info","peer-name":"room","global-address":["127.0.0.1",{{host.Port}}],"local-address":["127.0.0.1",{{hostLocalPort}}],"intended-recipient":"joiner"}""")));
    }

    [Fact]
    public async Task JoinOfUnknownRoom_GetsNotFound()
    {
        using var server = new LoopbackRendezvousServer();
        using var joiner = new RawUdpPeer();

        joiner.Send("""{"type":"requesting-to-join-server","local-address":["127.0.0.1",4002],"server-name":"lobby","sender":"joiner","intended-recipient":""}""", server.EndPoint);

        await joiner.ExpectAsync("""{"type":"server-error","message":"lobby not found","intended-recipient":"joiner"}""");
    }

    [Fact]
    public async Task RegistrationOfATakenName_FromAnotherAddress_GetsAlreadyExists()
    {
        using var server = new LoopbackRendezvousServer();
        using var first = new RawUdpPeer();
        using var second = new RawUdpPeer();
        first.Send(GodotRegistration, server.EndPoint);
        await first.ExpectAsync(Confirmation);

        second.Send(GodotRegistration, server.EndPoint);

        await second.ExpectAsync("""{"type":"server-error","message":"server already exists","intended-recipient":"room"}""");
    }

    [Fact]
    public async Task RegistrationWithoutExpiry_GetsMissingInfo()
    {
        using var server = new LoopbackRendezvousServer();
        using var host = new RawUdpPeer();

        host.Send("""{"type":"registering-server","local-address":["127.0.0.1",4001],"sender":"room","intended-recipient":""}""", server.EndPoint);

        await host.ExpectAsync("""{"type":"server-error","message":"missing info from packet data: seconds-before-expiry","intended-recipient":"room"}""");
    }

    [Fact]
    public async Task JoinWithoutLocalAddress_GetsMissingInfo()
    {
        using var server = new LoopbackRendezvousServer();
        using var joiner = new RawUdpPeer();

        joiner.Send("""{"type":"requesting-to-join-server","server-name":"room","sender":"joiner","intended-recipient":""}""", server.EndPoint);

        await joiner.ExpectAsync("""{"type":"server-error","message":"missing info from packet data: local-address","intended-recipient":"joiner"}""");
    }

    [Fact]
    public async Task PeerTrafficAndGarbage_GetNoReply_AndTheServerKeepsServing()
    {
        using var server = new LoopbackRendezvousServer();
        using var peer = new RawUdpPeer();

        peer.Send("not json", server.EndPoint);
        peer.Send("""{"used-global":true,"type":"local-global-inqury","sender":"room","intended-recipient":"joiner"}""", server.EndPoint);
        await peer.ExpectNothingAsync(TimeSpan.FromMilliseconds(200));
        peer.Send(GodotRegistration, server.EndPoint);

        await peer.ExpectAsync(Confirmation);
        Assert.Equal(2, server.Server.Counters.TotalDropped);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
