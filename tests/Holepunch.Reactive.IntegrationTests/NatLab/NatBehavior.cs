namespace Holepunch.Reactive.IntegrationTests.NatLab;

/// <summary>How a lab router translates its LAN onto the public segment.</summary>
internal enum NatBehavior
{
    /// <summary>
    /// Plain <c>masquerade</c>: keeps the host's port when it is free and reuses one mapping for every destination
    /// (endpoint-independent mapping), as a cone-like home router does. Hole punching works through it.
    /// </summary>
    Cone,

    /// <summary>
    /// <c>masquerade random,fully-random</c>: a fresh random port for every destination (a symmetric NAT), so the
    /// address the rendezvous server sees is not the one a peer must reach. Hole punching fails through it.
    /// </summary>
    RandomPort,
}
