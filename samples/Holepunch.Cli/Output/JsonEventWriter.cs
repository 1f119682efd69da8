using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Holepunch.Reactive.Peers;
using Holepunch.Reactive.Peers.Events;

namespace Holepunch.Cli.Output;

/// <summary>
/// <c>--json</c>: one JSON object per line, written with <see cref="Utf8JsonWriter"/> (no reflection), for scripts
/// and the NAT lab. The shapes are a contract:
/// <code>
/// {"event":"registered","room":R}
/// {"event":"linked","peer":P}
/// {"event":"peer-confirmed","peer":P,"address":"IP:PORT","via":"local"|"global"}
/// {"event":"message","peer":P,"reliable":true|false,"message":M}
/// {"event":"delivered","peer":P,"id":N}
/// {"event":"reliable-timeout","peer":P,"id":N}
/// {"event":"peer-dropped"|"peer-check-timeout"|"peer-handshake-timeout","peer":P}
/// {"event":"server-error","message":S}
/// {"event":"terminated","reason":S}
/// </code>
/// </summary>
internal sealed class JsonEventWriter(TextWriter output) : IEventWriter
{
    private readonly Lock _gate = new();
    // Relaxed escaping keeps quotes and non-ASCII text readable in a terminal; stdout is never embedded in HTML.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    public void Write(HolepunchEvent e)
    {
        lock (_gate)
        {
            _buffer.ResetWrittenCount();
            using (var json = new Utf8JsonWriter(_buffer, Options))
            {
                if (!TryWrite(json, e))
                {
                    return;
                }
            }

            output.WriteLine(Encoding.UTF8.GetString(_buffer.WrittenSpan));
            output.Flush();
        }
    }

    private static bool TryWrite(Utf8JsonWriter json, HolepunchEvent e)
    {
        switch (e)
        {
            case Registered registered:
                Start(json, "registered");
                json.WriteString("room", registered.Room);
                break;
            case Linked linked:
                Peer(json, "linked", linked.PeerName);
                break;
            case PeerConfirmed confirmed:
                Peer(json, "peer-confirmed", confirmed.Peer.Name);
                json.WriteString("address", confirmed.Peer.EndPoint.ToString());
                json.WriteString("via", Via(confirmed.Peer.Via));
                break;
            case PeerPathChanged changed:
                Peer(json, "path-changed", changed.Peer.Name);
                json.WriteString("address", changed.Peer.EndPoint.ToString());
                json.WriteString("via", Via(changed.Peer.Via));
                break;
            case ReliableMessageReceived received:
                Message(json, received.Message);
                break;
            case UnreliableMessageReceived received:
                Message(json, received.Message);
                break;
            case ReliableMessageDelivered delivered:
                Peer(json, "delivered", delivered.PeerName);
                json.WriteNumber("id", delivered.MessageId);
                break;
            case ReliableMessageTimedOut timedOut:
                Peer(json, "reliable-timeout", timedOut.PeerName);
                json.WriteNumber("id", timedOut.MessageId);
                break;
            case PeerDropped dropped:
                Peer(json, "peer-dropped", dropped.PeerName);
                break;
            case PeerCheckTimedOut timedOut:
                Peer(json, "peer-check-timeout", timedOut.PeerName);
                break;
            case PeerHandshakeTimedOut timedOut:
                Peer(json, "peer-handshake-timeout", timedOut.PeerName);
                break;
            case ServerErrorReceived error:
                Start(json, "server-error");
                json.WriteString("message", error.Message);
                break;
            case ConnectionTerminated terminated:
                Start(json, "terminated");
                json.WriteString("reason", terminated.Reason);
                break;
            default:
                return false;
        }

        json.WriteEndObject();
        return true;
    }

    private static string Via(PeerAddressKind via) => via switch
    {
        PeerAddressKind.Local => "local",
        PeerAddressKind.Relay => "relay",
        _ => "global",
    };

    private static void Start(Utf8JsonWriter json, string name)
    {
        json.WriteStartObject();
        json.WriteString("event", name);
    }

    private static void Peer(Utf8JsonWriter json, string name, string peer)
    {
        Start(json, name);
        json.WriteString("peer", peer);
    }

    private static void Message(Utf8JsonWriter json, PeerMessage message)
    {
        Peer(json, "message", message.From);
        json.WriteBoolean("reliable", message.IsReliable);
        json.WritePropertyName("message");
        message.Message.WriteTo(json);
    }
}
