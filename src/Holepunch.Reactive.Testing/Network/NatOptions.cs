namespace Holepunch.Reactive.Testing.Network;

/// <summary>
/// The behaviour of a <see cref="VirtualNat"/>, in the terms of RFC 4787. The defaults describe a typical home
/// router ("port-restricted cone"): endpoint-independent mapping, address-and-port-dependent filtering, port
/// preservation, no hairpinning and a two-minute mapping timeout.
/// </summary>
public sealed record NatOptions
{
    /// <summary>Gets how the public port chosen for an inside endpoint depends on the destination.</summary>
    /// <value>The default value is <see cref="NatBehavior.EndpointIndependent"/>.</value>
    public NatBehavior Mapping { get; init; } = NatBehavior.EndpointIndependent;

    /// <summary>Gets which outside endpoints may send in through a mapping.</summary>
    /// <value>The default value is <see cref="NatBehavior.AddressAndPortDependent"/>.</value>
    public NatBehavior Filtering { get; init; } = NatBehavior.AddressAndPortDependent;

    /// <summary>
    /// Gets whether a new mapping first tries the inside port as its public port; otherwise (or when that port is
    /// taken) the public port is a seeded random port in 1024..65535.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool PortPreservation { get; init; } = true;

    /// <summary>
    /// Gets whether an inside host sending to the NAT's own public address reaches the inside host behind that
    /// mapping, with its source translated to its own public mapping; otherwise such datagrams are dropped as
    /// <see cref="DatagramOutcome.HairpinDisabled"/>.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Hairpinning { get; init; }

    /// <summary>
    /// Gets how long a mapping (and each filter permission) lives without outbound traffic refreshing it. Inbound
    /// traffic does not refresh it (RFC 4787 REQ-6).
    /// </summary>
    /// <value>The default value is 2 minutes (the RFC 4787 REQ-5 minimum).</value>
    public TimeSpan MappingTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets a "full cone" NAT: endpoint-independent mapping and filtering, port preservation, hairpinning.</summary>
    public static NatOptions FullCone => new() { Filtering = NatBehavior.EndpointIndependent, Hairpinning = true };

    /// <summary>Gets a "restricted cone" NAT: endpoint-independent mapping, address-dependent filtering.</summary>
    public static NatOptions RestrictedCone => new() { Filtering = NatBehavior.AddressDependent };

    /// <summary>Gets a "port-restricted cone" NAT: endpoint-independent mapping, address-and-port-dependent filtering (the defaults).</summary>
    public static NatOptions PortRestrictedCone => new();

    /// <summary>
    /// Gets a "symmetric" NAT: address-and-port-dependent mapping and filtering and random public ports, so a peer
    /// cannot predict the mapping another destination will get.
    /// </summary>
    public static NatOptions Symmetric => new()
    {
        Mapping = NatBehavior.AddressAndPortDependent,
        Filtering = NatBehavior.AddressAndPortDependent,
        PortPreservation = false,
    };

    /// <summary>Throws one exception listing every invalid value.</summary>
    internal void Validate()
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(Mapping))
        {
            errors.Add($"{nameof(Mapping)} {Mapping} is not a defined {nameof(NatBehavior)}.");
        }

        if (!Enum.IsDefined(Filtering))
        {
            errors.Add($"{nameof(Filtering)} {Filtering} is not a defined {nameof(NatBehavior)}.");
        }

        if (MappingTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(MappingTimeout)} must be positive (was {MappingTimeout}).");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid NAT options: " + string.Join(" ", errors), "options");
        }
    }
}
