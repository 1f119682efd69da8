using System.Net;
using System.Text.Json;
using System.Text.Unicode;

namespace Holepunch.Reactive.Protocol;

/// <summary>
/// Reads one datagram into the fields of any message, then builds the message its <c>type</c> names.
/// Fields are read in whatever order they arrive (the Godot client sends <c>type</c> last), and each
/// field's problem is remembered rather than reported, so only a field the message needs can reject it.
/// </summary>
internal ref struct MessageDecoder
{
    private MessageKind _kind;
    private bool _hasType;
    private Field<string> _sender;
    private Field<string> _recipient;
    private Field<IPAddress> _localIp;
    private Field<int> _localPort;
    private Field<IPEndPoint> _localAddress;
    private Field<int> _secondsBeforeExpiry;
    private Field<string> _serverName;
    private Field<string> _peerName;
    private Field<IPEndPoint> _globalAddress;
    private Field<JsonElement> _message;
    private Field<long> _messageId;
    private Field<bool> _usedGlobal;
    private Field<bool> _unsolicited;
    private Field<string[]> _capabilities;
    private Field<int> _protocolVersion;
    private Field<string[]> _peerCapabilities;
    private Field<string> _relayToken;
    private Field<JsonElement> _payload;
    private Field<long> _probeId;
    private Field<IPEndPoint> _observedAddress;
    private Field<string> _roomVerifier;
    private Field<string> _challenge;
    private Field<string> _challengeResponse;
    private Field<string> _peerKey;
    private Field<long> _nonce;
    private Field<string> _ciphertext;
    private Field<List<long>> _acks;
    private Field<List<Range>> _entries;
    private List<Rejection>? _rejectedEntries;
    private ReadOnlySpan<byte> _datagram;
    private bool _isEntry;
    private bool _lean;
    private Range? _ciphertextText;
    private RejectionReason _failureReason;
    private string? _failureKey;
    private bool _hasEscapes;

    public static DecodeResult Decode(ReadOnlySpan<byte> datagram, int maxDatagramSize) =>
        Decode(datagram, maxDatagramSize, lean: false, out _);

    /// <summary>As <see cref="Decode(ReadOnlySpan{byte}, int)"/>, with the two kinds of <see cref="PeerEnvelope"/> returned as one (see <see cref="MessageCodec.DecodeLean"/>).</summary>
    public static DecodeResult Decode(ReadOnlySpan<byte> datagram, int maxDatagramSize, out PeerEnvelope envelope) =>
        Decode(datagram, maxDatagramSize, lean: true, out envelope);

    private static DecodeResult Decode(ReadOnlySpan<byte> datagram, int maxDatagramSize, bool lean, out PeerEnvelope envelope)
    {
        envelope = default;
        if (datagram.Length > maxDatagramSize)
        {
            return DecodeResult.Rejected(new Rejection(RejectionReason.Oversize));
        }

        // The reader checks UTF-8 only in the strings it converts: a bad byte in a skipped value or in the
        // message payload would otherwise pass, and throw later from whoever reads that string.
        if (!Utf8.IsValid(datagram))
        {
            return DecodeResult.Rejected(new Rejection(RejectionReason.MalformedJson));
        }

        return DecodeValidated(datagram, null, null, lean, out envelope);
    }

    /// <summary>
    /// Decodes UTF-8 already checked: a datagram, or one entry of a batch (which cannot hold another batch, and takes the
    /// batch's <c>sender</c> and <c>intended-recipient</c> when it names none).
    /// </summary>
    private static DecodeResult DecodeValidated(ReadOnlySpan<byte> datagram, string? batchSender, string? batchRecipient) =>
        DecodeValidated(datagram, batchSender, batchRecipient, lean: false, out _);

    private static DecodeResult DecodeValidated(
        ReadOnlySpan<byte> datagram, string? batchSender, string? batchRecipient, bool lean, out PeerEnvelope envelope)
    {
        envelope = default;
        var isEntry = batchSender is not null;
        var decoder = default(MessageDecoder);
        decoder._lean = lean;
        decoder._hasEscapes = datagram.Contains((byte)'\\');
        decoder._datagram = datagram;
        decoder._isEntry = isEntry;
        decoder._sender = isEntry ? new Field<string>(batchSender!) : default;
        decoder._recipient = isEntry ? new Field<string>(batchRecipient!) : default;
        try
        {
            var reader = new Utf8JsonReader(datagram, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read())
            {
                return DecodeResult.Rejected(new Rejection(RejectionReason.MalformedJson));
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                return DecodeResult.Rejected(new Rejection(reader.Read() ? RejectionReason.MalformedJson : RejectionReason.NotAnObject));
            }

            decoder.ReadObject(ref reader);
            if (reader.Read())
            {
                return DecodeResult.Rejected(new Rejection(RejectionReason.MalformedJson));
            }

            return lean && decoder.TryBuildEnvelope(out envelope) ? default : decoder.Build();
        }
        catch (JsonException)
        {
            return DecodeResult.Rejected(new Rejection(RejectionReason.MalformedJson));
        }
        catch (ArgumentException)
        {
            // Invalid UTF-8 inside a string surfaces as InvalidOperationException or ArgumentException from GetString.
            return DecodeResult.Rejected(new Rejection(RejectionReason.MalformedJson));
        }
        catch (InvalidOperationException)
        {
            return DecodeResult.Rejected(new Rejection(RejectionReason.MalformedJson));
        }
    }

    private void ReadObject(ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(WireNames.Encoded.Type.EncodedUtf8Bytes))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    _hasType = true;
                    _kind = reader.ValueIsEscaped
                        ? WireNames.KindOf(System.Text.Encoding.UTF8.GetBytes(reader.GetString()!))
                        : WireNames.KindOf(reader.ValueSpan);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals(WireNames.Encoded.Sender.EncodedUtf8Bytes)) { reader.Read(); _sender = ReadString(ref reader); }
            else if (reader.ValueTextEquals(WireNames.Encoded.IntendedRecipient.EncodedUtf8Bytes)) { reader.Read(); _recipient = ReadString(ref reader); }
            else if (reader.ValueTextEquals(WireNames.Encoded.LocalIp.EncodedUtf8Bytes)) { reader.Read(); _localIp = ReadIp(ref reader); }
            else if (reader.ValueTextEquals(WireNames.Encoded.LocalPort.EncodedUtf8Bytes)) { reader.Read(); _localPort = ReadPort(ref reader); }
            else if (reader.ValueTextEquals(WireNames.Encoded.LocalAddress.EncodedUtf8Bytes)) { reader.Read(); _localAddress = ReadAddress(ref reader); }
            else if (reader.ValueTextEquals(WireNames.Encoded.SecondsBeforeExpiry.EncodedUtf8Bytes)) { reader.Read(); _secondsBeforeExpiry = ReadInt32(ref reader); }
            else if (reader.ValueTextEquals(WireNames.Encoded.ServerName.EncodedUtf8Bytes)) { reader.Read(); _serverName = ReadString(ref reader); }
            else if (reader.ValueTextEquals(WireNames.Encoded.PeerName.EncodedUtf8Bytes)) { reader.Read(); _peerName = ReadString(ref reader); }
            else if (reader.ValueTextEquals(WireNames.Encoded.GlobalAddress.EncodedUtf8Bytes)) { reader.Read(); _globalAddress = ReadAddress(ref reader); }
            else if (reader.ValueTextEquals(WireNames.Encoded.Message.EncodedUtf8Bytes)) { reader.Read(); _message = ReadMessage(ref reader, _hasEscapes); }
            else if (reader.ValueTextEquals(WireNames.Encoded.MessageId.EncodedUtf8Bytes)) { reader.Read(); _messageId = ReadId(ref reader); }
            else if (reader.ValueTextEquals(WireNames.Encoded.UsedGlobal.EncodedUtf8Bytes)) { reader.Read(); _usedGlobal = ReadBool(ref reader); }
            else if (reader.ValueTextEquals(WireNames.Encoded.Unsolicited.EncodedUtf8Bytes)) { reader.Read(); _unsolicited = ReadBool(ref reader); }
            else if (reader.ValueTextEquals(WireNames.Encoded.Capabilities.EncodedUtf8Bytes)) { reader.Read(); _capabilities = ReadStrings(ref reader); }
            else if (reader.ValueTextEquals(WireNames.Encoded.ProtocolVersion.EncodedUtf8Bytes)) { reader.Read(); _protocolVersion = ReadInt32(ref reader); }
            else if (reader.ValueTextEquals(WireNames.Encoded.PeerCapabilities.EncodedUtf8Bytes)) { reader.Read(); _peerCapabilities = ReadStrings(ref reader); }
            else if (reader.ValueTextEquals(WireNames.Encoded.RelayToken.EncodedUtf8Bytes)) { reader.Read(); _relayToken = ReadString(ref reader); }
            else if (reader.ValueTextEquals(WireNames.Encoded.Payload.EncodedUtf8Bytes)) { reader.Read(); _payload = ReadPayload(ref reader, _hasEscapes); }
            else if (reader.ValueTextEquals(WireNames.Encoded.ProbeId.EncodedUtf8Bytes)) { reader.Read(); _probeId = ReadId(ref reader); }
            else if (reader.ValueTextEquals(WireNames.Encoded.ObservedAddress.EncodedUtf8Bytes)) { reader.Read(); _observedAddress = ReadAddress(ref reader); }
            else if (reader.ValueTextEquals(WireNames.Encoded.RoomVerifier.EncodedUtf8Bytes)) { reader.Read(); _roomVerifier = ReadString(ref reader); }
            else if (reader.ValueTextEquals(WireNames.Encoded.Challenge.EncodedUtf8Bytes)) { reader.Read(); _challenge = ReadString(ref reader); }
            else if (reader.ValueTextEquals(WireNames.Encoded.ChallengeResponse.EncodedUtf8Bytes)) { reader.Read(); _challengeResponse = ReadString(ref reader); }
            else if (reader.ValueTextEquals(WireNames.Encoded.PeerKey.EncodedUtf8Bytes)) { reader.Read(); _peerKey = ReadString(ref reader); }
            else if (reader.ValueTextEquals(WireNames.Encoded.Nonce.EncodedUtf8Bytes)) { reader.Read(); _nonce = ReadId(ref reader); }
            else if (reader.ValueTextEquals(WireNames.Encoded.Ciphertext.EncodedUtf8Bytes)) { reader.Read(); ReadCiphertext(ref reader); }
            else if (!_isEntry && reader.ValueTextEquals(WireNames.Encoded.Acks.EncodedUtf8Bytes)) { reader.Read(); _acks = ReadAcks(ref reader); }
            else if (!_isEntry && reader.ValueTextEquals(WireNames.Encoded.Messages.EncodedUtf8Bytes)) { reader.Read(); _entries = ReadEntries(ref reader); }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    /// <summary>
    /// The ciphertext: when decoding lean, where its text is (it is decoded straight from the datagram into an envelope,
    /// see <see cref="TryBuildEnvelope"/>), else its string.
    /// </summary>
    private void ReadCiphertext(ref Utf8JsonReader reader)
    {
        if (_lean && reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
        {
            var start = (int)reader.TokenStartIndex + 1;
            _ciphertextText = start..(start + reader.ValueSpan.Length);
            _ciphertext = default;
            return;
        }

        _ciphertextText = null;
        _ciphertext = ReadString(ref reader);
    }

    /// <summary>
    /// A complete plain unreliable message or sealed datagram as an envelope; <see langword="false"/> for anything else,
    /// which <see cref="Build"/> then decodes (or rejects) as usual, so both ways accept and refuse the same datagrams.
    /// </summary>
    private bool TryBuildEnvelope(out PeerEnvelope envelope)
    {
        envelope = default;
        if (_hasType && _sender.Status == FieldStatus.Present && _recipient.Status == FieldStatus.Present)
        {
            if (_kind == MessageKind.UnreliablePeerMessage && _message.Status == FieldStatus.Present)
            {
                envelope = PeerEnvelope.Unreliable(_sender.Value, _recipient.Value, _message.Value);
                return true;
            }

            if (_kind == MessageKind.SealedPeerDatagram && _nonce.Status == FieldStatus.Present && _ciphertextText is { } text
                && Base64UrlText.TryDecodeRented(_datagram[text], out var length) is { } rented)
            {
                envelope = PeerEnvelope.Sealed(_sender.Value, _recipient.Value, _nonce.Value, rented, length);
                return true;
            }
        }

        if (_ciphertextText is { } ciphertext)
        {
            // Not an envelope after all: the message object takes the ciphertext as a string.
            _ciphertext = new Field<string>(System.Text.Encoding.UTF8.GetString(_datagram[ciphertext]));
        }

        return false;
    }

    private DecodeResult Build()
    {
        if (!_hasType)
        {
            return Reject(RejectionReason.MissingType, WireNames.Type);
        }

        HolepunchMessage? message = _kind switch
        {
            MessageKind.RegisteringServer => new RegisteringServer(
                Require(_sender, WireNames.Sender), RequireLocalEndPoint(),
                Require(_secondsBeforeExpiry, WireNames.SecondsBeforeExpiry))
            {
                Capabilities = Extension(_capabilities),
                ProtocolVersion = Extension(_protocolVersion),
                RoomVerifier = Extension(_roomVerifier),
                PeerKey = Extension(_peerKey),
            },
            MessageKind.RequestingToJoinServer => new RequestingToJoinServer(
                Require(_sender, WireNames.Sender), RequireLocalEndPoint(), Require(_serverName, WireNames.ServerName))
            {
                Capabilities = Extension(_capabilities),
                ProtocolVersion = Extension(_protocolVersion),
                Challenge = Extension(_challenge),
                ChallengeResponse = Extension(_challengeResponse),
                PeerKey = Extension(_peerKey),
            },
            MessageKind.ConfirmingRegistration => new ConfirmingRegistration(Optional(_recipient, WireNames.IntendedRecipient)),
            MessageKind.ProvidingPeerHandshakeInfo => new ProvidingPeerHandshakeInfo(
                Optional(_recipient, WireNames.IntendedRecipient), Require(_peerName, WireNames.PeerName),
                Require(_globalAddress, WireNames.GlobalAddress), Require(_localAddress, WireNames.LocalAddress))
            { PeerCapabilities = Extension(_peerCapabilities), RelayToken = Extension(_relayToken), PeerKey = Extension(_peerKey) },
            MessageKind.ServerError => new ServerError(Optional(_recipient, WireNames.IntendedRecipient), RequireStringMessage())
            { Challenge = Extension(_challenge) },
            MessageKind.LocalGlobalInquiry => new LocalGlobalInquiry(
                Require(_sender, WireNames.Sender), Require(_recipient, WireNames.IntendedRecipient), Require(_usedGlobal, WireNames.UsedGlobal)),
            MessageKind.LocalGlobalInquiryResponse => new LocalGlobalInquiryResponse(
                Require(_sender, WireNames.Sender), Require(_recipient, WireNames.IntendedRecipient), Require(_usedGlobal, WireNames.UsedGlobal))
            { Unsolicited = _unsolicited.Status == FieldStatus.Present && _unsolicited.Value },
            MessageKind.PeerCheck => new PeerCheck(Require(_sender, WireNames.Sender), Require(_recipient, WireNames.IntendedRecipient)),
            MessageKind.PeerCheckResponse => new PeerCheckResponse(Require(_sender, WireNames.Sender), Require(_recipient, WireNames.IntendedRecipient)),
            MessageKind.UnreliablePeerMessage => new UnreliablePeerMessage(
                Require(_sender, WireNames.Sender), Require(_recipient, WireNames.IntendedRecipient), Require(_message, WireNames.Message)),
            MessageKind.ReliablePeerMessage => new ReliablePeerMessage(
                Require(_sender, WireNames.Sender), Require(_recipient, WireNames.IntendedRecipient),
                Require(_messageId, WireNames.MessageId), Require(_message, WireNames.Message)),
            MessageKind.ReliablePeerMessageResponse => new ReliablePeerMessageResponse(
                Require(_sender, WireNames.Sender), Require(_recipient, WireNames.IntendedRecipient),
                Require(_messageId, WireNames.MessageId), _message.Status == FieldStatus.Present ? _message.Value : null),
            MessageKind.RelayDatagram => new RelayDatagram(
                Require(_sender, WireNames.Sender), Optional(_recipient, WireNames.IntendedRecipient),
                Require(_relayToken, WireNames.RelayToken), Require(_payload, WireNames.Payload)),
            MessageKind.RelayRefused => new RelayRefused(
                Optional(_recipient, WireNames.IntendedRecipient), Require(_relayToken, WireNames.RelayToken), RequireStringMessage()),
            MessageKind.NatProbe => new NatProbe(Require(_sender, WireNames.Sender), Require(_probeId, WireNames.ProbeId)),
            MessageKind.NatProbeResponse => new NatProbeResponse(
                Optional(_recipient, WireNames.IntendedRecipient), Require(_probeId, WireNames.ProbeId),
                Require(_observedAddress, WireNames.ObservedAddress)),
            MessageKind.SealedPeerDatagram => new SealedPeerDatagram(
                Require(_sender, WireNames.Sender), Require(_recipient, WireNames.IntendedRecipient),
                Require(_nonce, WireNames.Nonce), Require(_ciphertext, WireNames.Ciphertext)),
            MessageKind.PeerBatch when _isEntry => Fail<HolepunchMessage>(RejectionReason.NotBatchable, WireNames.Type),
            MessageKind.PeerBatch => BuildBatch(),
            _ => Fail<HolepunchMessage>(RejectionReason.UnknownType, WireNames.Type),
        };

        // A failed field leaves a half-built message behind: the first failure decides the rejection.
        return _failureKey is null ? DecodeResult.Success(message!) : Reject(_failureReason, _failureKey);
    }

    private PeerBatch BuildBatch()
    {
        var sender = Require(_sender, WireNames.Sender);
        var recipient = Require(_recipient, WireNames.IntendedRecipient);
        if (_acks.Status == FieldStatus.Missing && _entries.Status == FieldStatus.Missing)
        {
            return Fail<PeerBatch>(RejectionReason.MissingField, WireNames.Messages);
        }

        List<long>? acks = _acks.Status == FieldStatus.Missing ? [] : Require(_acks, WireNames.Acks);
        List<Range>? ranges = _entries.Status == FieldStatus.Missing ? [] : Require(_entries, WireNames.Messages);
        List<PeerOriginatedMessage> entries = [];
        if (_failureKey is null && ranges is not null)
        {
            // Decoded once the envelope is read, whatever its key order: an entry takes the envelope's routing by default.
            foreach (var range in ranges)
            {
                var entry = DecodeValidated(_datagram[range], sender, recipient);
                if (!entry.IsSuccess)
                {
                    RejectEntry(entry.Rejection.Reason, entry.Rejection.Kind, entry.Rejection.Key);
                }
                else if (!PeerBatch.CanCarry(entry.Message.Kind))
                {
                    RejectEntry(RejectionReason.NotBatchable, entry.Message.Kind, WireNames.Type);
                }
                else
                {
                    entries.Add((PeerOriginatedMessage)entry.Message);
                }
            }
        }

        return new PeerBatch(sender, recipient, acks ?? [], entries)
        {
            Rejected = (IReadOnlyList<Rejection>?)_rejectedEntries ?? [],
        };
    }

    private void RejectEntry(RejectionReason reason, MessageKind kind = MessageKind.Unknown, string? key = null) =>
        (_rejectedEntries ??= []).Add(new Rejection(reason, kind, key));

    /// <summary>The <c>acks</c> of a batch: whole non-negative numbers; any other entry, or one beyond the limit, is rejected alone.</summary>
    private Field<List<long>> ReadAcks(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return Field<List<long>>.Invalid(RejectionReason.WrongType);
        }

        var acks = new List<long>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (acks.Count >= PeerBatch.MaxAcknowledgements)
            {
                reader.Skip();
                RejectEntry(RejectionReason.TooManyEntries, key: WireNames.Acks);
                continue;
            }

            var id = ReadId(ref reader);
            if (id.Status == FieldStatus.Present)
            {
                acks.Add(id.Value);
            }
            else
            {
                RejectEntry(id.Problem, key: WireNames.Acks);
            }
        }

        return new Field<List<long>>(acks);
    }

    /// <summary>
    /// Where the <c>messages</c> of a batch are, to decode each as a datagram of its own once the envelope is read (see
    /// <see cref="BuildBatch"/>); an entry that is not an object, or beyond the limit, is rejected alone.
    /// </summary>
    private Field<List<Range>> ReadEntries(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return Field<List<Range>>.Invalid(RejectionReason.WrongType);
        }

        var entries = new List<Range>();
        var seen = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var start = (int)reader.TokenStartIndex;
            var isObject = reader.TokenType == JsonTokenType.StartObject;
            reader.Skip();
            if (++seen > PeerBatch.MaxMessages)
            {
                RejectEntry(RejectionReason.TooManyEntries, key: WireNames.Messages);
                continue;
            }

            if (!isObject)
            {
                RejectEntry(RejectionReason.NotAnObject, key: WireNames.Messages);
                continue;
            }

            entries.Add(start..(int)reader.BytesConsumed);
        }

        return new Field<List<Range>>(entries);
    }

    private readonly DecodeResult Reject(RejectionReason reason, string key) =>
        DecodeResult.Rejected(new Rejection(reason, _kind, key, _sender.Status == FieldStatus.Present ? _sender.Value : null));

    private T Require<T>(Field<T> field, string key) => field.Status switch
    {
        FieldStatus.Present => field.Value!,
        FieldStatus.Missing => Fail<T>(RejectionReason.MissingField, key),
        _ => Fail<T>(field.Problem, key),
    };

    private T Fail<T>(RejectionReason reason, string key)
    {
        if (_failureKey is null)
        {
            _failureReason = reason;
            _failureKey = key;
        }

        return default!;
    }

    private string Optional(Field<string> field, string key) =>
        field.Status == FieldStatus.Missing ? "" : Require(field, key);

    /// <summary>An optional extension key: a value of the wrong type counts as absent, as an unknown key would.</summary>
    private static T? Extension<T>(Field<T> field)
        where T : class => field.Status == FieldStatus.Present ? field.Value : null;

    /// <summary>An optional extension key: a value of the wrong type or out of range counts as absent.</summary>
    private static int? Extension(Field<int> field) => field.Status == FieldStatus.Present ? field.Value : null;

    private IPEndPoint RequireLocalEndPoint()
    {
        // The Godot client sends local-address: [ip, port]; the seed docs and the Python server use local-ip + local-port.
        if (_localAddress.Status != FieldStatus.Missing)
        {
            return Require(_localAddress, WireNames.LocalAddress);
        }

        if (_localIp.Status == FieldStatus.Missing && _localPort.Status == FieldStatus.Missing)
        {
            return Fail<IPEndPoint>(RejectionReason.MissingField, WireNames.LocalAddress);
        }

        var ip = Require(_localIp, WireNames.LocalIp);
        var port = Require(_localPort, WireNames.LocalPort);
        return ip is null ? null! : new IPEndPoint(ip, port);
    }

    private string RequireStringMessage()
    {
        var message = Require(_message, WireNames.Message);
        return message.ValueKind switch
        {
            JsonValueKind.String => message.GetString()!,
            JsonValueKind.Undefined => null!,
            _ => Fail<string>(RejectionReason.WrongType, WireNames.Message),
        };
    }

    private static Field<string> ReadString(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            // Names repeat from datagram to datagram: share their strings (the datagram is valid UTF-8, checked above).
            return new Field<string>(reader.ValueIsEscaped ? reader.GetString()! : NameCache.Get(reader.ValueSpan));
        }

        reader.Skip();
        return Field<string>.Invalid(RejectionReason.WrongType);
    }

    private static Field<JsonElement> ReadMessage(ref Utf8JsonReader reader, bool hasEscapes)
    {
        if (hasEscapes)
        {
            ThrowOnLoneSurrogate(reader);
        }

        return new Field<JsonElement>(JsonElement.ParseValue(ref reader));
    }

    /// <summary>A value that must be a JSON object (a relayed message); anything else is <see cref="RejectionReason.WrongType"/>.</summary>
    private static Field<JsonElement> ReadPayload(ref Utf8JsonReader reader, bool hasEscapes)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return Field<JsonElement>.Invalid(RejectionReason.WrongType);
        }

        return ReadMessage(ref reader, hasEscapes);
    }

    /// <summary>An array of strings; entries of another type are skipped, a value that is not an array is <see cref="RejectionReason.WrongType"/>.</summary>
    private static Field<string[]> ReadStrings(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return Field<string[]>.Invalid(RejectionReason.WrongType);
        }

        var values = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                values.Add(reader.GetString()!);
            }
            else
            {
                reader.Skip();
            }
        }

        return new Field<string[]>([.. values]);
    }

    /// <summary>
    /// JSON lets a string escape half a surrogate pair (<c>"\ud800"</c>), which no .NET string can hold: such a payload
    /// would decode, then throw from every <c>GetString</c> and from the message's <c>ToString</c>. Reads ahead on a copy.
    /// </summary>
    /// <exception cref="InvalidOperationException">A string in the value escapes a lone surrogate.</exception>
    private static void ThrowOnLoneSurrogate(Utf8JsonReader reader)
    {
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            CheckString(ref reader);
            return;
        }

        var depth = reader.CurrentDepth;
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            CheckString(ref reader);
        }

        static void CheckString(ref Utf8JsonReader reader)
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
            {
                _ = reader.GetString();
            }
        }
    }

    private static Field<bool> ReadBool(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is JsonTokenType.True or JsonTokenType.False)
        {
            return new Field<bool>(reader.GetBoolean());
        }

        reader.Skip();
        return Field<bool>.Invalid(RejectionReason.WrongType);
    }

    private static Field<IPAddress> ReadIp(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return Field<IPAddress>.Invalid(RejectionReason.WrongType);
        }

        return TryParseIp(ref reader, out var address)
            ? new Field<IPAddress>(address)
            : Field<IPAddress>.Invalid(RejectionReason.InvalidAddress);
    }

    private static bool TryParseIp(ref Utf8JsonReader reader, out IPAddress address)
    {
        Span<char> text = stackalloc char[64];
        if (reader.ValueIsEscaped || reader.ValueSpan.Length > text.Length)
        {
            return IPAddress.TryParse(reader.GetString(), out address!);
        }

        var length = reader.CopyString(text);
        return IPAddress.TryParse(text[..length], out address!);
    }

    private static Field<int> ReadPort(ref Utf8JsonReader reader)
    {
        if (!TryReadWhole(ref reader, out var value))
        {
            return Field<int>.Invalid(RejectionReason.WrongType);
        }

        return value is >= 1 and <= 65535 ? new Field<int>((int)value) : Field<int>.Invalid(RejectionReason.PortOutOfRange);
    }

    private static Field<int> ReadInt32(ref Utf8JsonReader reader)
    {
        if (!TryReadWhole(ref reader, out var value))
        {
            return Field<int>.Invalid(RejectionReason.WrongType);
        }

        return value is >= 0 and <= int.MaxValue ? new Field<int>((int)value) : Field<int>.Invalid(RejectionReason.ValueOutOfRange);
    }

    private static Field<long> ReadId(ref Utf8JsonReader reader)
    {
        if (!TryReadWhole(ref reader, out var value))
        {
            return Field<long>.Invalid(RejectionReason.WrongType);
        }

        return value >= 0 ? new Field<long>(value) : Field<long>.Invalid(RejectionReason.ValueOutOfRange);
    }

    /// <summary>Reads a JSON number that is a whole number: Godot sends every number as a float (<c>4000.0</c>).</summary>
    private static bool TryReadWhole(ref Utf8JsonReader reader, out long value)
    {
        value = 0;
        if (reader.TokenType != JsonTokenType.Number)
        {
            reader.Skip();
            return false;
        }

        if (reader.TryGetInt64(out value))
        {
            return true;
        }

        // 2^63 as a double: anything at or beyond it does not fit a long.
        const double Limit = 9223372036854775808.0;
        if (reader.TryGetDouble(out var number) && Math.Floor(number) == number && number > -Limit && number < Limit)
        {
            value = (long)number;
            return true;
        }

        return false;
    }

    private static Field<IPEndPoint> ReadAddress(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return Field<IPEndPoint>.Invalid(RejectionReason.InvalidAddress);
        }

        var problem = RejectionReason.InvalidAddress;
        IPAddress? ip = null;
        var port = 0;
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            switch (index++)
            {
                case 0 when reader.TokenType == JsonTokenType.String:
                    _ = TryParseIp(ref reader, out ip);
                    break;
                case 1:
                    var field = ReadPort(ref reader);
                    port = field.Value;
                    if (field.Status == FieldStatus.Invalid)
                    {
                        problem = field.Problem == RejectionReason.PortOutOfRange ? RejectionReason.PortOutOfRange : RejectionReason.InvalidAddress;
                    }

                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return index == 2 && ip is not null && port != 0
            ? new Field<IPEndPoint>(new IPEndPoint(ip, port))
            : Field<IPEndPoint>.Invalid(problem);
    }

    private enum FieldStatus : byte
    {
        Missing,
        Present,
        Invalid,
    }

    private readonly struct Field<T>
    {
        public Field(T value)
        {
            Value = value;
            Status = FieldStatus.Present;
        }

        private Field(RejectionReason problem)
        {
            Value = default!;
            Status = FieldStatus.Invalid;
            Problem = problem;
        }

        public T Value { get; }

        public FieldStatus Status { get; }

        public RejectionReason Problem { get; }

        public static Field<T> Invalid(RejectionReason problem) => new(problem);
    }
}
