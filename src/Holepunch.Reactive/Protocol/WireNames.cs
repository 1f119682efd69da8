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
