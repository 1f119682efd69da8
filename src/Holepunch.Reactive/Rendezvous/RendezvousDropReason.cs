namespace Holepunch.Reactive.Rendezvous;

/// <summary>Why the rendezvous server dropped a datagram without answering it. Every drop is counted by reason.</summary>
public enum RendezvousDropReason
{
    /// <summary>The source sent more than its rate limit allows.</summary>
    RateLimited = 1,
    /// <summary>
    /// The source is new, the server already tracks <see cref="RendezvousServerOptions.MaxSources"/> sources, and none of
    /// them has a full bucket to give up its place.
    /// </summary>
    TooManySources,
    /// <summary>More than <see cref="RendezvousServerOptions.MaxPendingDatagrams"/> datagrams were waiting for the server.</summary>
    Overloaded,
    /// <summary>Larger than <see cref="RendezvousServerOptions.MaxDatagramSize"/>.</summary>
    Oversize,
    /// <summary>Not valid UTF-8 JSON, or not a single JSON object.</summary>
    Malformed,
    /// <summary>A JSON object without a string <c>type</c>.</summary>
    MissingType,
    /// <summary>A <c>type</c> the protocol does not know.</summary>
    UnknownType,
    /// <summary>
    /// A known message that is not a request to the server: peer-to-peer traffic (inquiries, checks, peer messages)
    /// or a server's own message type; at the diagnostics port, anything but a <c>nat-probe</c>.
    /// </summary>
    NotARequest,
    /// <summary>The server was stopping when the datagram reached it.</summary>
    Stopped,
    /// <summary>
    /// The reply would have sent an address more than <see cref="RendezvousServerOptions.AmplificationFactor"/> times the
    /// bytes received from it (a spoofed source trying to use the server as an amplifier); a join is refused whole.
    /// </summary>
    AmplificationLimit,
    /// <summary>
    /// All sources together sent more than the global rate limit allows
    /// (<see cref="RendezvousServerOptions.GlobalTokenLimit"/>, <see cref="RendezvousServerOptions.GlobalTokensPerPeriod"/>).
    /// </summary>
    GlobalRateLimited,
    /// <summary>
    /// A <c>relay-datagram</c> or <c>nat-probe</c> with a missing or unusable field. Never answered: a
    /// <c>server-error</c> would end the client's session, and these messages are not worth one.
    /// </summary>
    InvalidExtensionMessage,
}
