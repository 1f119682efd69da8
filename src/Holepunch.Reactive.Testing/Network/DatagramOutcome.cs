namespace Holepunch.Reactive.Testing.Network;

/// <summary>What finally happened to one datagram (or one duplicate of it) in a <see cref="VirtualNetwork"/>.</summary>
public enum DatagramOutcome
{
    /// <summary>Handed to a bound transport's <see cref="Transport.IDatagramTransport.Received"/>.</summary>
    Delivered,

    /// <summary>Lost on a link (<see cref="LinkOptions.Loss"/>).</summary>
    Lost,

    /// <summary>Dropped between two internet addresses cut off from each other (<see cref="VirtualNetwork.Block"/>).</summary>
    Blocked,

    /// <summary>No host or NAT owns the destination address.</summary>
    NoRoute,

    /// <summary>The destination host has no transport bound to the destination port.</summary>
    NoListener,

    /// <summary>Arrived at a NAT's public port with no live mapping (never created, or expired).</summary>
    NoMapping,

    /// <summary>A NAT's filtering refused it: the inside endpoint never sent to the source (see <see cref="NatOptions.Filtering"/>).</summary>
    Filtered,

    /// <summary>An inside host sent to its own NAT's public address and the NAT does not hairpin (see <see cref="NatOptions.Hairpinning"/>).</summary>
    HairpinDisabled,

    /// <summary>A NAT had no free public port for a new mapping.</summary>
    PortsExhausted,

    /// <summary>Sent through a transport that was already disposed; <see cref="Transport.IDatagramTransport.Send"/> returned <see langword="false"/>.</summary>
    SenderClosed,

    /// <summary>Sent from a local address the host does not own; <see cref="Transport.IDatagramTransport.Send"/> returned <see langword="false"/>.</summary>
    InvalidSource,
}
