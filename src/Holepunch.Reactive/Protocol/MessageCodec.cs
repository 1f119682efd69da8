using System.Buffers;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Holepunch.Reactive.Protocol;

/// <summary>
/// The one codec of the wire protocol: a datagram (one UTF-8 JSON object) to a typed
/// <see cref="HolepunchMessage"/> and back.
/// </summary>
/// <remarks>
/// Decoding accepts every spelling that the deployed Godot client and the seed documentation use
/// (<c>local-address</c> or <c>local-ip</c> + <c>local-port</c>; both inquiry-response spellings;
/// <c>peer-message</c>; numbers as <c>4000</c> or <c>4000.0</c>; keys in any order; unknown keys ignored)
/// and never throws: bad input becomes a <see cref="Rejection"/>. Encoding writes the spelling the deployed
/// Godot client understands, in its key order, as compact JSON.
/// <para>
/// Extensions (relay, capabilities, NAT probes) add optional keys to Godot's messages, written only when set and after
/// the keys Godot knows, and decoded leniently: an extension key of the wrong type counts as absent, never as a
/// rejection. The extension messages (<see cref="RelayDatagram"/>, <see cref="RelayRefused"/>, <see cref="NatProbe"/>,
/// <see cref="NatProbeResponse"/>) are decoded as strictly as Godot's own.
/// </para>
/// </remarks>
public static class MessageCodec
{
    /// <summary>The largest UDP payload over IPv4 (65,535 − 8 − 20 bytes), the default datagram limit.</summary>
    public const int MaxUdpPayload = 65_507;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Godot writes non-ASCII as UTF-8, not \u escapes; nothing here is embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Decodes one datagram.</summary>
    /// <param name="datagram">The datagram's bytes.</param>
    /// <param name="maxDatagramSize">Larger datagrams are rejected as <see cref="RejectionReason.Oversize"/> unread.</param>
    /// <returns>The message, or the reason it was rejected.</returns>
    public static DecodeResult Decode(ReadOnlySpan<byte> datagram, int maxDatagramSize = MaxUdpPayload) =>
        MessageDecoder.Decode(datagram, maxDatagramSize);

    /// <summary>
    /// Decodes one datagram as <see cref="Decode"/> does, except that a plain unreliable peer message or a sealed peer
    /// datagram comes back as <paramref name="envelope"/> (the result is then <see langword="default"/>) without a message
    /// object or a ciphertext string: the client's receive path, which routes them by their fields alone.
    /// </summary>
    internal static DecodeResult DecodeLean(ReadOnlySpan<byte> datagram, int maxDatagramSize, out PeerEnvelope envelope) =>
        MessageDecoder.Decode(datagram, maxDatagramSize, out envelope);

    /// <summary>Encodes a message as one datagram into <paramref name="output"/>.</summary>
    /// <param name="message">The message.</param>
    /// <param name="output">Where the bytes go.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static void Encode(HolepunchMessage message, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(output);

        using var lease = new WriterLease(output);
        var writer = lease.Writer;
        Write(writer, message);
        writer.Flush();
    }

    /// <summary>
    /// Encodes an <c>unreliable-peer-message</c> exactly as <see cref="Encode"/> encodes an <see cref="UnreliablePeerMessage"/>,
    /// without the message object: the client's send path allocates nothing per message.
    /// </summary>
    internal static void EncodeUnreliablePeerMessage(string sender, string recipient, JsonElement message, IBufferWriter<byte> output)
    {
        using var lease = new WriterLease(output);
        var writer = lease.Writer;
        writer.WriteStartObject();
        WriteUnreliable(writer, sender, recipient, message);
        writer.WriteEndObject();
        writer.Flush();
    }

    /// <summary>
    /// Encodes a <c>reliable-peer-message</c> exactly as <see cref="Encode"/> encodes a <see cref="ReliablePeerMessage"/>,
    /// without the message object.
    /// </summary>
    internal static void EncodeReliablePeerMessage(string sender, string recipient, long messageId, JsonElement message, IBufferWriter<byte> output)
    {
        using var lease = new WriterLease(output);
        var writer = lease.Writer;
        writer.WriteStartObject();
        WriteReliable(writer, messageId, message);
        WriteRouting(writer, sender, recipient);
        writer.WriteEndObject();
        writer.Flush();
    }

    /// <summary>
    /// Encodes a <c>sealed-peer-datagram</c> exactly as <see cref="Encode"/> encodes a <see cref="SealedPeerDatagram"/>,
    /// from the sealed bytes (ciphertext and tag) rather than their base64url text: the sealed send path allocates
    /// nothing per datagram.
    /// </summary>
    internal static void EncodeSealedPeerDatagram(string sender, string recipient, long nonce, ReadOnlySpan<byte> sealedBytes, IBufferWriter<byte> output)
    {
        using var lease = new WriterLease(output);
        var writer = lease.Writer;
        writer.WriteStartObject();
        WriteSealedHead(writer, sender, recipient, nonce);
        Base64UrlText.Write(writer, WireNames.Encoded.Ciphertext, sealedBytes);
        writer.WriteEndObject();
        writer.Flush();
    }

    /// <summary>
    /// Encodes the <see cref="RelayDatagram"/> that carries <paramref name="payload"/>, a peer datagram this codec encoded
    /// (a JSON object), without parsing it: the bytes <see cref="Encode"/> writes for the same record.
    /// </summary>
    internal static void EncodeRelayDatagram(string sender, string recipient, string relayToken, ReadOnlySpan<byte> payload, IBufferWriter<byte> output)
    {
        using var lease = new WriterLease(output);
        var writer = lease.Writer;
        writer.WriteStartObject();
        WriteRelayHead(writer, relayToken, sender, recipient);
        writer.WriteRawValue(payload, skipInputValidation: true);
        writer.WriteEndObject();
        writer.Flush();
    }

    /// <summary>Encodes a message as one datagram into a new array.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The datagram.</returns>
    public static byte[] EncodeToArray(HolepunchMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Encode(message, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(Utf8JsonWriter w, HolepunchMessage message, PeerBatch? batch = null)
    {
        w.WriteStartObject();
        switch (message)
        {
            case RegisteringServer m:
                w.WriteString(WireNames.Encoded.Type, WireNames.Encoded.RegisteringServer);
                WriteLocalEndPoint(w, m.LocalEndPoint);
                w.WriteNumber(WireNames.Encoded.SecondsBeforeExpiry, m.SecondsBeforeExpiry);
                WriteRouting(w, m.Sender, m.IntendedRecipient);
                WriteExtension(w, WireNames.Encoded.Capabilities, m.Capabilities);
                WriteExtension(w, WireNames.Encoded.ProtocolVersion, m.ProtocolVersion);
                WriteExtension(w, WireNames.Encoded.RoomVerifier, m.RoomVerifier);
                WriteExtension(w, WireNames.Encoded.PeerKey, m.PeerKey);
                break;
            case RequestingToJoinServer m:
                w.WriteString(WireNames.Encoded.Type, WireNames.Encoded.RequestingToJoinServer);
                WriteLocalEndPoint(w, m.LocalEndPoint);
                w.WriteString(WireNames.Encoded.ServerName, m.ServerName);
                WriteRouting(w, m.Sender, m.IntendedRecipient);
                WriteExtension(w, WireNames.Encoded.Capabilities, m.Capabilities);
                WriteExtension(w, WireNames.Encoded.ProtocolVersion, m.ProtocolVersion);
                WriteExtension(w, WireNames.Encoded.Challenge, m.Challenge);
                WriteExtension(w, WireNames.Encoded.ChallengeResponse, m.ChallengeResponse);
                WriteExtension(w, WireNames.Encoded.PeerKey, m.PeerKey);
                break;
            case ConfirmingRegistration m:
                w.WriteString(WireNames.Encoded.Type, WireNames.Encoded.ConfirmingRegistration);
                w.WriteString(WireNames.Encoded.IntendedRecipient, m.IntendedRecipient);
                break;
            case ProvidingPeerHandshakeInfo m:
                w.WriteString(WireNames.Encoded.Type, WireNames.Encoded.ProvidingPeerHandshakeInfo);
                w.WriteString(WireNames.Encoded.PeerName, m.PeerName);
                WriteAddress(w, WireNames.Encoded.GlobalAddress, m.GlobalEndPoint);
                WriteAddress(w, WireNames.Encoded.LocalAddress, m.LocalEndPoint);
                w.WriteString(WireNames.Encoded.IntendedRecipient, m.IntendedRecipient);
                WriteExtension(w, WireNames.Encoded.PeerCapabilities, m.PeerCapabilities);
                WriteExtension(w, WireNames.Encoded.RelayToken, m.RelayToken);
                WriteExtension(w, WireNames.Encoded.PeerKey, m.PeerKey);
                break;
            case ServerError m:
                w.WriteString(WireNames.Encoded.Type, WireNames.Encoded.ServerError);
                w.WriteString(WireNames.Encoded.Message, m.Message);
                w.WriteString(WireNames.Encoded.IntendedRecipient, m.IntendedRecipient);
                WriteExtension(w, WireNames.Encoded.Challenge, m.Challenge);
                break;
            case LocalGlobalInquiry m:
                w.WriteBoolean(WireNames.Encoded.UsedGlobal, m.UsedGlobal);
                w.WriteString(WireNames.Encoded.Type, WireNames.Encoded.LocalGlobalInquiry);
                WriteRouting(w, m.Sender, m.IntendedRecipient);
                break;
            case LocalGlobalInquiryResponse m:
                w.WriteBoolean(WireNames.Encoded.UsedGlobal, m.UsedGlobal);
                w.WriteString(WireNames.Encoded.Type, WireNames.Encoded.LocalGlobalInquiryResponse);
                WriteRouting(w, m.Sender, m.IntendedRecipient);
                if (m.Unsolicited)
                {
                    w.WriteBoolean(WireNames.Encoded.Unsolicited, true);
                }

                break;
            case PeerCheck m:
                w.WriteString(WireNames.Encoded.Type, WireNames.Encoded.PeerCheck);
                WriteRouting(w, m, batch);
                break;
            case PeerCheckResponse m:
                w.WriteString(WireNames.Encoded.Type, WireNames.Encoded.PeerCheckResponse);
                WriteRouting(w, m, batch);
                break;
            case UnreliablePeerMessage m:
                WriteUnreliable(w, m.Sender, m.IntendedRecipient, m.Message, routing: !SameRouting(m, batch));
                break;
            case ReliablePeerMessage m:
                WriteReliable(w, m.MessageId, m.Message);
                WriteRouting(w, m, batch);
                break;
            case ReliablePeerMessageResponse m:
                if (m.Message is { } mirrored)
                {
                    w.WritePropertyName(WireNames.Encoded.Message);
                    mirrored.WriteTo(w);
                }

                w.WriteNumber(WireNames.Encoded.MessageId, m.MessageId);
                w.WriteString(WireNames.Encoded.Type, WireNames.Encoded.ReliablePeerMessageResponse);
                WriteRouting(w, m, batch);
                break;
            case RelayDatagram m:
                if (m.Payload.ValueKind != JsonValueKind.Object)
                {
                    throw new ArgumentException("A relay datagram's payload must be a JSON object.", nameof(message));
                }

                WriteRelayHead(w, m.RelayToken, m.Sender, m.IntendedRecipient);
                WriteVerbatim(w, m.Payload);
                break;
            case RelayRefused m:
                w.WriteString(WireNames.Encoded.Type, WireNames.Encoded.RelayRefused);
                w.WriteString(WireNames.Encoded.RelayToken, m.RelayToken);
                w.WriteString(WireNames.Encoded.Message, m.Message);
                w.WriteString(WireNames.Encoded.IntendedRecipient, m.IntendedRecipient);
                break;
            case NatProbe m:
                w.WriteString(WireNames.Encoded.Type, WireNames.Encoded.NatProbe);
                WriteRouting(w, m.Sender, m.IntendedRecipient);
                w.WriteNumber(WireNames.Encoded.ProbeId, m.ProbeId);
                break;
            case NatProbeResponse m:
                w.WriteString(WireNames.Encoded.Type, WireNames.Encoded.NatProbeResponse);
                w.WriteNumber(WireNames.Encoded.ProbeId, m.ProbeId);
                WriteAddress(w, WireNames.Encoded.ObservedAddress, m.ObservedAddress);
                w.WriteString(WireNames.Encoded.IntendedRecipient, m.IntendedRecipient);
                break;
            case SealedPeerDatagram m:
                WriteSealedHead(w, m.Sender, m.IntendedRecipient, m.Nonce);
                w.WriteString(WireNames.Encoded.Ciphertext, m.Ciphertext);
                break;
            case PeerBatch m:
                WritePeerBatch(w, m, message);
                break;
            default:
                throw new ArgumentException($"Unknown message type {message.GetType()}.", nameof(message));
        }

        w.WriteEndObject();
    }

    /// <summary>A batch: the envelope's routing, then the acknowledgements, then each message as it would be sent alone.</summary>
    private static void WritePeerBatch(Utf8JsonWriter w, PeerBatch m, HolepunchMessage message)
    {
        w.WriteString(WireNames.Encoded.Type, WireNames.Encoded.PeerBatch);
        WriteRouting(w, m.Sender, m.IntendedRecipient);
        if (m.Acknowledgements.Count > 0)
        {
            w.WriteStartArray(WireNames.Encoded.Acks);
            for (var i = 0; i < m.Acknowledgements.Count; i++)
            {
                w.WriteNumberValue(m.Acknowledgements[i]);
            }

            w.WriteEndArray();
        }

        // An empty batch (every entry of a decoded one rejected) still needs one of the two keys.
        if (m.Messages.Count > 0 || m.Acknowledgements.Count == 0)
        {
            w.WriteStartArray(WireNames.Encoded.Messages);
            for (var i = 0; i < m.Messages.Count; i++)
            {
                if (!PeerBatch.CanCarry(m.Messages[i].Kind))
                {
                    throw new ArgumentException($"A peer batch cannot carry a {m.Messages[i].Kind}.", nameof(message));
                }

                Write(w, m.Messages[i], m);
            }

            w.WriteEndArray();
        }
    }

    /// <summary>
    /// Writes the start of a <c>peer-batch</c> (<c>{"type":"peer-batch","sender":…,"intended-recipient":…</c>, left open)
    /// exactly as <see cref="Encode"/> writes it, for <see cref="PeerBatchWriter"/> to append entries to.
    /// </summary>
    internal static byte[] EncodePeerBatchPrefix(string sender, string recipient)
    {
        var output = new ArrayBufferWriter<byte>(128);
        using var lease = new WriterLease(output);
        var writer = lease.Writer;
        writer.WriteStartObject();
        writer.WriteString(WireNames.Encoded.Type, WireNames.Encoded.PeerBatch);
        WriteRouting(writer, sender, recipient);
        writer.Flush();

        return output.WrittenSpan.ToArray();
    }

    private static void WriteUnreliable(Utf8JsonWriter w, string sender, string recipient, JsonElement message, bool routing = true)
    {
        w.WritePropertyName(WireNames.Encoded.Message);
        message.WriteTo(w);
        w.WriteString(WireNames.Encoded.Type, WireNames.Encoded.UnreliablePeerMessage);
        if (routing)
        {
            WriteRouting(w, sender, recipient);
        }
    }

    /// <summary>A relay datagram's keys up to its payload's name, in the design's order (the record and <see cref="EncodeRelayDatagram"/>).</summary>
    private static void WriteRelayHead(Utf8JsonWriter w, string relayToken, string sender, string recipient)
    {
        w.WriteString(WireNames.Encoded.Type, WireNames.Encoded.RelayDatagram);
        w.WriteString(WireNames.Encoded.RelayToken, relayToken);
        WriteRouting(w, sender, recipient);
        w.WritePropertyName(WireNames.Encoded.Payload);
    }

    /// <summary>A sealed datagram's keys before its ciphertext (the record and <see cref="EncodeSealedPeerDatagram"/>).</summary>
    private static void WriteSealedHead(Utf8JsonWriter w, string sender, string recipient, long nonce)
    {
        w.WriteString(WireNames.Encoded.Type, WireNames.Encoded.SealedPeerDatagram);
        WriteRouting(w, sender, recipient);
        w.WriteNumber(WireNames.Encoded.Nonce, nonce);
    }

    private static void WriteReliable(Utf8JsonWriter w, long messageId, JsonElement message)
    {
        w.WritePropertyName(WireNames.Encoded.Message);
        message.WriteTo(w);
        w.WriteNumber(WireNames.Encoded.MessageId, messageId);
        w.WriteString(WireNames.Encoded.Type, WireNames.Encoded.ReliablePeerMessage);
    }

    /// <summary>A message's routing, left out inside a batch with the same routing (the entry takes the batch's).</summary>
    private static void WriteRouting(Utf8JsonWriter w, PeerOriginatedMessage m, PeerBatch? batch)
    {
        if (!SameRouting(m, batch))
        {
            WriteRouting(w, m.Sender, m.IntendedRecipient);
        }
    }

    private static bool SameRouting(PeerOriginatedMessage m, PeerBatch? batch) =>
        batch is not null
        && string.Equals(m.Sender, batch.Sender, StringComparison.Ordinal)
        && string.Equals(m.IntendedRecipient, batch.IntendedRecipient, StringComparison.Ordinal);

    private static void WriteRouting(Utf8JsonWriter w, string sender, string recipient)
    {
        w.WriteString(WireNames.Encoded.Sender, sender);
        w.WriteString(WireNames.Encoded.IntendedRecipient, recipient);
    }

    /// <summary>An optional extension key, written only when set, after the keys the Godot client knows.</summary>
    private static void WriteExtension(Utf8JsonWriter w, JsonEncodedText key, string? value)
    {
        if (value is not null)
        {
            w.WriteString(key, value);
        }
    }

    /// <summary>An optional extension key, written only when set, after the keys the Godot client knows.</summary>
    private static void WriteExtension(Utf8JsonWriter w, JsonEncodedText key, int? value)
    {
        if (value is { } number)
        {
            w.WriteNumber(key, number);
        }
    }

    /// <summary>An optional extension key, written only when set, after the keys the Godot client knows.</summary>
    private static void WriteExtension(Utf8JsonWriter w, JsonEncodedText key, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            return;
        }

        w.WriteStartArray(key);
        for (var i = 0; i < values.Count; i++)
        {
            w.WriteStringValue(values[i]);
        }

        w.WriteEndArray();
    }

    /// <summary>
    /// Writes a value as the bytes it was parsed from, so that a relay forwards a payload byte for byte (whitespace and
    /// escapes included) rather than a re-serialisation of it.
    /// </summary>
    private static void WriteVerbatim(Utf8JsonWriter w, JsonElement value)
    {
#if NET9_0_OR_GREATER
        w.WriteRawValue(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value), skipInputValidation: true);
#else
        w.WriteRawValue(value.GetRawText(), skipInputValidation: true);
#endif
    }

    /// <summary>Both spellings: the Godot client reads <c>local-address</c>, the Python server <c>local-ip</c>/<c>local-port</c>.</summary>
    private static void WriteLocalEndPoint(Utf8JsonWriter w, IPEndPoint endPoint)
    {
        WriteAddress(w, WireNames.Encoded.LocalAddress, endPoint);
        WriteIp(w, WireNames.Encoded.LocalIp, endPoint.Address);
        w.WriteNumber(WireNames.Encoded.LocalPort, endPoint.Port);
    }

    private static void WriteAddress(Utf8JsonWriter w, JsonEncodedText key, IPEndPoint endPoint)
    {
        w.WriteStartArray(key);
        WriteIp(w, null, endPoint.Address);
        w.WriteNumberValue(endPoint.Port);
        w.WriteEndArray();
    }

    private static void WriteIp(Utf8JsonWriter w, JsonEncodedText? key, IPAddress address)
    {
        Span<char> text = stackalloc char[64];
        if (!address.TryFormat(text, out var length))
        {
            throw new ArgumentException($"Cannot format address {address}.", nameof(address));
        }

        if (key is { } name)
        {
            w.WriteString(name, text[..length]);
        }
        else
        {
            w.WriteStringValue(text[..length]);
        }
    }

    private sealed class NullBufferWriter : IBufferWriter<byte>
    {
        public static readonly NullBufferWriter Instance = new();

        public void Advance(int count)
        {
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => Array.Empty<byte>();

        public Span<byte> GetSpan(int sizeHint = 0) => Array.Empty<byte>();
    }

    /// <summary>
    /// The thread's one cached writer, pointed at <c>output</c> for one encode and let go of it when disposed: encoding
    /// allocates nothing of its own.
    /// </summary>
    private readonly ref struct WriterLease
    {
        public WriterLease(IBufferWriter<byte> output)
        {
            Writer = t_writer ??= new Utf8JsonWriter(output, WriterOptions);
            Writer.Reset(output);
        }

        public Utf8JsonWriter Writer { get; }

        public void Dispose() => Writer.Reset(NullBufferWriter.Instance);
    }
}
