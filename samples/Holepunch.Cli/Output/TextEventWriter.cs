using System.Globalization;
using System.Text.Json;
using Holepunch.Reactive.Peers;
using Holepunch.Reactive.Peers.Events;

namespace Holepunch.Cli.Output;

/// <summary>The readable form of the events: one line each, optionally prefixed (the demo prefixes each peer).</summary>
internal sealed class TextEventWriter(TextWriter output, string prefix = "") : IEventWriter
{
    private readonly Lock _gate = new();

    public void Write(HolepunchEvent e)
    {
        if (Describe(e) is not { } line)
        {
            return;
        }

        lock (_gate)
        {
            output.WriteLine(prefix + OneLine(line));
            output.Flush();
        }
    }

    /// <summary>The line for <paramref name="e"/>, or <see langword="null"/> for events that are not printed.</summary>
    public static string? Describe(HolepunchEvent e) => e switch
    {
        Registered r => $"registered room '{r.Room}'",
        Linked l => $"linked to '{l.PeerName}' (global {l.GlobalEndPoint}, local {l.LocalEndPoint}); punching",
        PeerConfirmed c => $"peer '{c.Peer.Name}' confirmed at {c.Peer.EndPoint} via {Via(c.Peer.Via)} (rtt {Milliseconds(c.Peer.RoundTripTime)})",
        PeerPathChanged c => $"peer '{c.Peer.Name}' now reached at {c.Peer.EndPoint} via {Via(c.Peer.Via)}",
        ReliableMessageReceived m => $"<{m.Message.From}> {Text(m.Message.Message)}",
        UnreliableMessageReceived m => $"<{m.Message.From}> (unreliable) {Text(m.Message.Message)}",
        ReliableMessageDelivered d => $"delivered #{d.MessageId} to '{d.PeerName}' (rtt {Milliseconds(d.RoundTripTime)})",
        ReliableMessageTimedOut t => $"message #{t.MessageId} to '{t.PeerName}' was never acknowledged",
        PeerDropped d => $"peer '{d.PeerName}' dropped ({d.Reason})",
        PeerCheckTimedOut t => $"peer '{t.PeerName}' stopped answering peer checks",
        PeerHandshakeTimedOut t => $"could not punch to '{t.PeerName}' (tried {string.Join(", ", t.Tried)}{(t.TriedRelay ? " and the relay" : "")}; heard {(t.Heard.Count == 0 ? "nothing" : string.Join(", ", t.Heard))})",
        ServerErrorReceived s => $"server error: {s.Message}",
        ConnectionTerminated t => $"terminated: {t.Reason}",
        _ => null,
    };

    /// <summary>A duration in milliseconds with one decimal.</summary>
    public static string Milliseconds(TimeSpan time) =>
        string.Create(CultureInfo.InvariantCulture, $"{time.TotalMilliseconds:0.0} ms");

    /// <summary>Escapes control characters (a peer's or the server's text may hold line breaks): one event, one line.</summary>
    public static string OneLine(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var builder = new System.Text.StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                _ when char.IsControl(c) => builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }

    private static string Via(PeerAddressKind via) => via switch
    {
        PeerAddressKind.Local => "its local address",
        PeerAddressKind.Relay => "the server's relay",
        _ => "its global address",
    };

    // A string message prints as its text; any other JSON value as JSON.
    private static string Text(JsonElement message) =>
        message.ValueKind == JsonValueKind.String ? message.GetString()! : message.GetRawText();
}
