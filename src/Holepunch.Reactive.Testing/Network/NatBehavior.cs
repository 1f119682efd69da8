namespace Holepunch.Reactive.Testing.Network;

/// <summary>
/// How a NAT's mapping or filtering depends on the remote endpoint, in the terms of RFC 4787 (sections 4.1 and 5).
/// </summary>
public enum NatBehavior
{
    /// <summary>
    /// Independent of the remote endpoint: one mapping per inside endpoint whatever the destination; as a filter,
    /// anyone may send in through an existing mapping.
    /// </summary>
    EndpointIndependent,

    /// <summary>
    /// Depends on the remote address: a new mapping per destination address; as a filter, only addresses the inside
    /// endpoint has sent to may send in (from any port).
    /// </summary>
    AddressDependent,

    /// <summary>
    /// Depends on the remote address and port: a new mapping per destination endpoint; as a filter, only the exact
    /// endpoints the inside endpoint has sent to may send in.
    /// </summary>
    AddressAndPortDependent,
}
