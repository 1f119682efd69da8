using System.Net;
using System.Text.Json;
using Holepunch.Cli.Output;
using Holepunch.Reactive.Peers;
using Holepunch.Reactive.Peers.Events;
using Holepunch.Reactive.Protocol;

namespace Holepunch.Reactive.IntegrationTests.Cli;

/// <summary>The exact <c>--json</c> line of every event, and its readable counterpart.</summary>
public sealed class EventWriterTests
{
    private static readonly IPEndPoint Address = IPEndPoint.Parse("203.0.113.5:40000");

    public static TheoryData<HolepunchEvent, string> Events => new()
    {
        { new Registered("room"), """{"event":"registered","room":"room"}""" },
        { new Linked("bob", Address, IPEndPoint.Parse("10.0.0.7:4002")), """{"event":"linked","peer":"bob"}""" },
        { new PeerConfirmed(new PeerInfo("bob", Address, PeerAddressKind.Global, TimeSpan.FromMilliseconds(3))), """{"event":"peer-confirmed","peer":"bob","address":"203.0.113.5:40000","via":"global"}""" },
        { new PeerConfirmed(new PeerInfo("bob", IPEndPoint.Parse("[2001:db8::7]:4002"), PeerAddressKind.Local, TimeSpan.Zero)), """{"event":"peer-confirmed","peer":"bob","address":"[2001:db8::7]:4002","via":"local"}""" },
        { new ReliableMessageReceived(new PeerMessage("bob", Json("\"hi \\\"there\\\" ü\""), true, 4)), """{"event":"message","peer":"bob","reliable":true,"message":"hi \"there\" ü"}""" },
        { new UnreliableMessageReceived(new PeerMessage("bob", Json("""{"move":[1,2.5,null]}"""), false, null)), """{"event":"message","peer":"bob","reliable":false,"message":{"move":[1,2.5,null]}}""" },
        { new ReliableMessageDelivered("bob", 7, Json("1"), TimeSpan.FromMilliseconds(2)), """{"event":"delivered","peer":"bob","id":7}""" },
        { new ReliableMessageTimedOut("bob", 8, Json("1")), """{"event":"reliable-timeout","peer":"bob","id":8}""" },
        { new PeerDropped("bob", PeerDropReason.Requested), """{"event":"peer-dropped","peer":"bob"}""" },
        { new PeerCheckTimedOut("bob"), """{"event":"peer-check-timeout","peer":"bob"}""" },
        { new PeerHandshakeTimedOut("bob", [Address], [], TriedRelay: true), """{"event":"peer-handshake-timeout","peer":"bob"}""" },
        { new PeerConfirmed(new PeerInfo("bob", IPEndPoint.Parse("203.0.113.1:5160"), PeerAddressKind.Relay, TimeSpan.Zero)), """{"event":"peer-confirmed","peer":"bob","address":"203.0.113.1:5160","via":"relay"}""" },
        { new PeerPathChanged(new PeerInfo("bob", IPEndPoint.Parse("203.0.113.9:4000"), PeerAddressKind.Global, TimeSpan.Zero)), """{"event":"path-changed","peer":"bob","address":"203.0.113.9:4000","via":"global"}""" },
        { new ServerErrorReceived("room not found"), """{"event":"server-error","message":"room not found"}""" },
        { new ConnectionTerminated("closed", null), """{"event":"terminated","reason":"closed"}""" },
        { new ConnectionTerminated("line\nbreak", new InvalidOperationException()), """{"event":"terminated","reason":"line\nbreak"}""" },
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void JsonWriter_WritesTheExactLine(HolepunchEvent e, string expected)
    {
        using var output = new StringWriter { NewLine = "\n" };

        new JsonEventWriter(output).Write(e);

        Assert.Equal(expected + "\n", output.ToString());
    }

    /// <summary>The events of <see cref="Events"/>, and a message with line breaks.</summary>
    public static TheoryData<HolepunchEvent> EventsOnly => new(
        Events.Select(static row => (HolepunchEvent)row[0])
            .Append(new ReliableMessageReceived(new PeerMessage("bob", Json("\"two\\nlines\\u0007\""), true, 1))));

    [Theory]
    [MemberData(nameof(EventsOnly))]
    public void TextWriter_WritesExactlyOneLine(HolepunchEvent e)
    {
        using var output = new StringWriter { NewLine = "\n" };

        new TextEventWriter(output, "> ").Write(e);

        var text = output.ToString();
        Assert.StartsWith("> ", text, StringComparison.Ordinal);
        Assert.Equal(text.Length - 1, text.IndexOf('\n', StringComparison.Ordinal));
    }

    [Fact]
    public void PacketReceived_IsNotPrinted()
    {
        using var output = new StringWriter();
        var packet = new PacketReceived(new PeerCheck("bob", "room"), Address);

        new JsonEventWriter(output).Write(packet);
        new TextEventWriter(output).Write(packet);

        Assert.Equal("", output.ToString());
    }

    [Fact]
    public void TextWriter_EscapesLineBreaksInAMessage()
    {
        using var output = new StringWriter { NewLine = "\n" };

        new TextEventWriter(output).Write(new UnreliableMessageReceived(new PeerMessage("bob", Json("\"a\\nb\""), false, null)));

        Assert.Equal("<bob> (unreliable) a\\nb\n", output.ToString());
    }

    [Fact]
    public void TextWriter_PrintsAStringMessageAsItsText()
    {
        using var output = new StringWriter { NewLine = "\n" };

        new TextEventWriter(output).Write(new ReliableMessageReceived(new PeerMessage("bob", Json("\"hi there\""), true, 1)));

        Assert.Equal("<bob> hi there\n", output.ToString());
    }

    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
