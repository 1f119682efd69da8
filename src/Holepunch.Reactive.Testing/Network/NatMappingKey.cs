using System.Net;

namespace Holepunch.Reactive.Testing.Network;

/// <summary>
/// What identifies a NAT mapping: the inside endpoint, plus the destination address (address-dependent mapping) or
/// destination endpoint (address-and-port-dependent mapping).
/// </summary>
/// <param name="Inside">The inside endpoint.</param>
/// <param name="RemoteAddress">The destination address, or <see langword="null"/> for endpoint-independent mapping.</param>
/// <param name="RemotePort">The destination port, or 0 unless the mapping is address-and-port-dependent.</param>
internal readonly record struct NatMappingKey(IPEndPoint Inside, IPAddress? RemoteAddress, int RemotePort)
{
    public static NatMappingKey For(NatBehavior mapping, IPEndPoint inside, IPEndPoint destination) => mapping switch
    {
        NatBehavior.EndpointIndependent => new(inside, null, 0),
        NatBehavior.AddressDependent => new(inside, destination.Address, 0),
        _ => new(inside, destination.Address, destination.Port),
    };
}
