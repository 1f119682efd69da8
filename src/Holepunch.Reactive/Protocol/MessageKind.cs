namespace Holepunch.Reactive.Protocol;

/// <summary>The kinds of datagram in the Godot holepunch protocol.</summary>
public enum MessageKind
{
    /// <summary>A <c>type</c> this codec does not know.</summary>
    Unknown = 0,
    /// <summary><c>registering-server</c>: a host registers or refreshes its room.</summary>
    RegisteringServer,
    /// <summary><c>requesting-to-join-server</c>: a peer asks to join a room.</summary>
    RequestingToJoinServer,
    /// <summary><c>confirming-registration</c>: the server accepted a registration.</summary>
    ConfirmingRegistration,
    /// <summary><c>providing-peer-handshake-info</c>: the server introduces two peers.</summary>
    ProvidingPeerHandshakeInfo,
    /// <summary><c>server-error</c>: the server refused a request.</summary>
    ServerError,
    /// <summary><c>local-global-inqury</c> (sic): a punch probe to a peer's global or local address.</summary>
    LocalGlobalInquiry,
    /// <summary><c>local-global-inquiry-response</c>: a probe's echo; the first one confirms the peer.</summary>
    LocalGlobalInquiryResponse,
    /// <summary><c>peer-check</c>: a keepalive.</summary>
    PeerCheck,
    /// <summary><c>peer-check-response</c>: a keepalive's answer.</summary>
    PeerCheckResponse,
    /// <summary><c>unreliable-peer-message</c> (or the seed's <c>peer-message</c>): fire and forget.</summary>
    UnreliablePeerMessage,
    /// <summary><c>reliable-peer-message</c>: acknowledged, de-duplicated.</summary>
    ReliablePeerMessage,
    /// <summary><c>reliable-peer-message-response</c>: a reliable message's acknowledgement.</summary>
    ReliablePeerMessageResponse,
    /// <summary><c>relay-datagram</c> (extension): a message carried through the server's relay.</summary>
    RelayDatagram,
    /// <summary><c>relay-refused</c> (extension): the server did not forward a relay datagram.</summary>
    RelayRefused,
    /// <summary><c>nat-probe</c> (extension): asks which public address the server sees.</summary>
    NatProbe,
    /// <summary><c>nat-probe-response</c> (extension): the observed public address.</summary>
    NatProbeResponse,
    /// <summary><c>sealed-peer-datagram</c> (extension): a peer datagram encrypted and authenticated with the pair's session key.</summary>
    SealedPeerDatagram,
    /// <summary><c>peer-batch</c> (extension): several peer messages and acknowledgements in one datagram.</summary>
    PeerBatch,
}
