namespace Holepunch.Reactive.Rendezvous;

/// <summary>Why a relay closed.</summary>
internal enum RelayCloseReason
{
    /// <summary>No relay datagram from either side for <see cref="RelayOptions.IdleTimeout"/>.</summary>
    Idle,
    /// <summary>Open for <see cref="RelayOptions.MaxDuration"/>.</summary>
    Duration,
}
