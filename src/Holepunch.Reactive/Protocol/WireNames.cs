using System.Text.Json;

namespace Holepunch.Reactive.Protocol;

/// <summary>The JSON keys and <c>type</c> values of the wire protocol, as UTF-8 and as text.</summary>
internal static class WireNames
{
    public const string Type = "type";
    public const string Sender = "sender";
    public const string IntendedRecipient = "intended-recipient";
    public const string LocalIp = "local-ip";
    public const string LocalPort = "local-port";
    public const string LocalAddress = "local-address";
    public const string SecondsBeforeExpiry = "seconds-before-expiry";
    public const string ServerName = "server-name";
    public const string PeerName = "peer-name";
    public const string GlobalAddress = "global-address";
    public const string Message = "message";
    public const string MessageId = "message-id";
    public const string UsedGlobal = "used-global";
    public const string Unsolicited = "unsolicited";

    // Extension keys (relay and capabilities, NAT diagnostics): optional on Godot's messages, which ignore unknown keys.
    public const string Capabilities = "capabilities";
    public const string ProtocolVersion = "protocol-version";
    public const string PeerCapabilities = "peer-capabilities";
    public const string RelayToken = "relay-token";
    public const string Payload = "payload";
    public const string ProbeId = "probe-id";
    public const string ObservedAddress = "observed-address";

    // Extension keys (room secrets, RoomSecret.cs): optional, ignored by clients and servers that do not know them.
    public const string RoomVerifier = "room-verifier";
    public const string Challenge = "challenge";
    public const string ChallengeResponse = "challenge-response";

    // Extension keys (sealed peer datagrams, SealedPeerDatagram.cs): optional, ignored by clients and servers that do not know them.
    public const string PeerKey = "peer-key";
    public const string Nonce = "nonce";
    public const string Ciphertext = "ciphertext";

    // Extension keys (peer batches, PeerBatch.cs).
    public const string Acks = "acks";
    public const string Messages = "messages";

    public const string RegisteringServer = "registering-server";
    public const string RequestingToJoinServer = "requesting-to-join-server";
    public const string ConfirmingRegistration = "confirming-registration";
    public const string ProvidingPeerHandshakeInfo = "providing-peer-handshake-info";
    public const string ServerError = "server-error";
    public const string LocalGlobalInquiry = "local-global-inqury";
    public const string LocalGlobalInquiryResponse = "local-global-inquiry-response";
    /// <summary>The seed documentation's spelling; accepted, never sent.</summary>
    public const string LocalGlobalInquiryResponseSeed = "local-global-inqury-response";
    public const string PeerCheck = "peer-check";
    public const string PeerCheckResponse = "peer-check-response";
    public const string UnreliablePeerMessage = "unreliable-peer-message";
    /// <summary>The seed documentation's spelling; accepted, never sent.</summary>
    public const string PeerMessageSeed = "peer-message";
    public const string ReliablePeerMessage = "reliable-peer-message";
    public const string ReliablePeerMessageResponse = "reliable-peer-message-response";
    public const string RelayDatagram = "relay-datagram";
    public const string RelayRefused = "relay-refused";
    public const string NatProbe = "nat-probe";
    public const string NatProbeResponse = "nat-probe-response";
    public const string SealedPeerDatagram = "sealed-peer-datagram";
    public const string PeerBatch = "peer-batch";

    /// <summary>
    /// The names above encoded once for <see cref="System.Text.Json.Utf8JsonReader.ValueTextEquals(System.ReadOnlySpan{byte})"/>
    /// (their UTF-8 bytes) and <see cref="System.Text.Json.Utf8JsonWriter"/>: compared and written without transcoding or
    /// escaping each time.
    /// </summary>
    internal static class Encoded
    {
        public static readonly JsonEncodedText Type = JsonEncodedText.Encode(WireNames.Type, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText Sender = JsonEncodedText.Encode(WireNames.Sender, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText IntendedRecipient = JsonEncodedText.Encode(WireNames.IntendedRecipient, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText LocalIp = JsonEncodedText.Encode(WireNames.LocalIp, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText LocalPort = JsonEncodedText.Encode(WireNames.LocalPort, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText LocalAddress = JsonEncodedText.Encode(WireNames.LocalAddress, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText SecondsBeforeExpiry = JsonEncodedText.Encode(WireNames.SecondsBeforeExpiry, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText ServerName = JsonEncodedText.Encode(WireNames.ServerName, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText PeerName = JsonEncodedText.Encode(WireNames.PeerName, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText GlobalAddress = JsonEncodedText.Encode(WireNames.GlobalAddress, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText Message = JsonEncodedText.Encode(WireNames.Message, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText MessageId = JsonEncodedText.Encode(WireNames.MessageId, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText UsedGlobal = JsonEncodedText.Encode(WireNames.UsedGlobal, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText Unsolicited = JsonEncodedText.Encode(WireNames.Unsolicited, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText Capabilities = JsonEncodedText.Encode(WireNames.Capabilities, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText ProtocolVersion = JsonEncodedText.Encode(WireNames.ProtocolVersion, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText PeerCapabilities = JsonEncodedText.Encode(WireNames.PeerCapabilities, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText RelayToken = JsonEncodedText.Encode(WireNames.RelayToken, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText Payload = JsonEncodedText.Encode(WireNames.Payload, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText ProbeId = JsonEncodedText.Encode(WireNames.ProbeId, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText ObservedAddress = JsonEncodedText.Encode(WireNames.ObservedAddress, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText RoomVerifier = JsonEncodedText.Encode(WireNames.RoomVerifier, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText Challenge = JsonEncodedText.Encode(WireNames.Challenge, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText ChallengeResponse = JsonEncodedText.Encode(WireNames.ChallengeResponse, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText PeerKey = JsonEncodedText.Encode(WireNames.PeerKey, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText Nonce = JsonEncodedText.Encode(WireNames.Nonce, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText Ciphertext = JsonEncodedText.Encode(WireNames.Ciphertext, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText Acks = JsonEncodedText.Encode(WireNames.Acks, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText Messages = JsonEncodedText.Encode(WireNames.Messages, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText RegisteringServer = JsonEncodedText.Encode(WireNames.RegisteringServer, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText RequestingToJoinServer = JsonEncodedText.Encode(WireNames.RequestingToJoinServer, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText ConfirmingRegistration = JsonEncodedText.Encode(WireNames.ConfirmingRegistration, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText ProvidingPeerHandshakeInfo = JsonEncodedText.Encode(WireNames.ProvidingPeerHandshakeInfo, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText ServerError = JsonEncodedText.Encode(WireNames.ServerError, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText LocalGlobalInquiry = JsonEncodedText.Encode(WireNames.LocalGlobalInquiry, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText LocalGlobalInquiryResponse = JsonEncodedText.Encode(WireNames.LocalGlobalInquiryResponse, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText LocalGlobalInquiryResponseSeed = JsonEncodedText.Encode(WireNames.LocalGlobalInquiryResponseSeed, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText PeerCheck = JsonEncodedText.Encode(WireNames.PeerCheck, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText PeerCheckResponse = JsonEncodedText.Encode(WireNames.PeerCheckResponse, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText UnreliablePeerMessage = JsonEncodedText.Encode(WireNames.UnreliablePeerMessage, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText PeerMessageSeed = JsonEncodedText.Encode(WireNames.PeerMessageSeed, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText ReliablePeerMessage = JsonEncodedText.Encode(WireNames.ReliablePeerMessage, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText ReliablePeerMessageResponse = JsonEncodedText.Encode(WireNames.ReliablePeerMessageResponse, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText RelayDatagram = JsonEncodedText.Encode(WireNames.RelayDatagram, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText RelayRefused = JsonEncodedText.Encode(WireNames.RelayRefused, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText NatProbe = JsonEncodedText.Encode(WireNames.NatProbe, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText NatProbeResponse = JsonEncodedText.Encode(WireNames.NatProbeResponse, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText SealedPeerDatagram = JsonEncodedText.Encode(WireNames.SealedPeerDatagram, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        public static readonly JsonEncodedText PeerBatch = JsonEncodedText.Encode(WireNames.PeerBatch, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
    }

    /// <summary>The wire <c>type</c> a kind is sent as.</summary>
    public static string TypeOf(MessageKind kind) => kind switch
    {
        MessageKind.RegisteringServer => RegisteringServer,
        MessageKind.RequestingToJoinServer => RequestingToJoinServer,
        MessageKind.ConfirmingRegistration => ConfirmingRegistration,
        MessageKind.ProvidingPeerHandshakeInfo => ProvidingPeerHandshakeInfo,
        MessageKind.ServerError => ServerError,
        MessageKind.LocalGlobalInquiry => LocalGlobalInquiry,
        MessageKind.LocalGlobalInquiryResponse => LocalGlobalInquiryResponse,
        MessageKind.PeerCheck => PeerCheck,
        MessageKind.PeerCheckResponse => PeerCheckResponse,
        MessageKind.UnreliablePeerMessage => UnreliablePeerMessage,
        MessageKind.ReliablePeerMessage => ReliablePeerMessage,
        MessageKind.ReliablePeerMessageResponse => ReliablePeerMessageResponse,
        MessageKind.RelayDatagram => RelayDatagram,
        MessageKind.RelayRefused => RelayRefused,
        MessageKind.NatProbe => NatProbe,
        MessageKind.NatProbeResponse => NatProbeResponse,
        MessageKind.SealedPeerDatagram => SealedPeerDatagram,
        MessageKind.PeerBatch => PeerBatch,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The kind a wire <c>type</c> names, accepting every known spelling.</summary>
    public static MessageKind KindOf(ReadOnlySpan<byte> type) => type switch
    {
        _ when type.SequenceEqual("registering-server"u8) => MessageKind.RegisteringServer,
        _ when type.SequenceEqual("requesting-to-join-server"u8) => MessageKind.RequestingToJoinServer,
        _ when type.SequenceEqual("confirming-registration"u8) => MessageKind.ConfirmingRegistration,
        _ when type.SequenceEqual("providing-peer-handshake-info"u8) => MessageKind.ProvidingPeerHandshakeInfo,
        _ when type.SequenceEqual("server-error"u8) => MessageKind.ServerError,
        _ when type.SequenceEqual("local-global-inqury"u8) => MessageKind.LocalGlobalInquiry,
        _ when type.SequenceEqual("local-global-inquiry-response"u8) => MessageKind.LocalGlobalInquiryResponse,
        _ when type.SequenceEqual("local-global-inqury-response"u8) => MessageKind.LocalGlobalInquiryResponse,
        _ when type.SequenceEqual("peer-check"u8) => MessageKind.PeerCheck,
        _ when type.SequenceEqual("peer-check-response"u8) => MessageKind.PeerCheckResponse,
        _ when type.SequenceEqual("unreliable-peer-message"u8) => MessageKind.UnreliablePeerMessage,
        _ when type.SequenceEqual("peer-message"u8) => MessageKind.UnreliablePeerMessage,
        _ when type.SequenceEqual("reliable-peer-message"u8) => MessageKind.ReliablePeerMessage,
        _ when type.SequenceEqual("reliable-peer-message-response"u8) => MessageKind.ReliablePeerMessageResponse,
        _ when type.SequenceEqual("relay-datagram"u8) => MessageKind.RelayDatagram,
        _ when type.SequenceEqual("relay-refused"u8) => MessageKind.RelayRefused,
        _ when type.SequenceEqual("nat-probe"u8) => MessageKind.NatProbe,
        _ when type.SequenceEqual("nat-probe-response"u8) => MessageKind.NatProbeResponse,
        _ when type.SequenceEqual("sealed-peer-datagram"u8) => MessageKind.SealedPeerDatagram,
        _ when type.SequenceEqual("peer-batch"u8) => MessageKind.PeerBatch,
        _ => MessageKind.Unknown,
    };
}
