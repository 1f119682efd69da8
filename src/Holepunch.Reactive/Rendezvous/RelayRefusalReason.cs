namespace Holepunch.Reactive.Rendezvous;

/// <summary>Why the rendezvous server did not forward a <c>relay-datagram</c>, or opened no relay. Every refusal is counted.</summary>
public enum RelayRefusalReason
{
    /// <summary>The token names no relay this server knows (<c>unknown relay</c>).</summary>
    UnknownRelay = 1,
    /// <summary>The relay was closed: idle for <see cref="RelayOptions.IdleTimeout"/> or open for <see cref="RelayOptions.MaxDuration"/> (<c>relay expired</c>).</summary>
    RelayExpired,
    /// <summary>The sending side used up its bandwidth (<see cref="RelayOptions.BytesPerSecond"/>); the datagram was dropped (<c>relay bandwidth exceeded</c>).</summary>
    BandwidthExceeded,
    /// <summary>
    /// An introduction between two relay-capable peers carried no token because <see cref="RelayOptions.MaxRelays"/> or
    /// <see cref="RelayOptions.MaxRelaysPerAddress"/> was reached (<c>relay full</c>). Counted per introduction; no
    /// datagram is sent, as the peers were given no token to use.
    /// </summary>
    RelayFull,
    /// <summary>
    /// The token is live, but the datagram's sender is not one of the relay's two names, or it came from another endpoint
    /// than the one recorded for that name (a spoofed or rebound source). Answered as <c>unknown relay</c>.
    /// </summary>
    WrongSource,
}
