using System.Net;

namespace Holepunch.Reactive.Diagnostics;

/// <summary>What NAT probes found out about the path from one local socket to the internet (see <see cref="NatDiagnostics"/>).</summary>
/// <param name="PublicEndPoint">The socket's public address and port as the rendezvous server's main port saw it.</param>
/// <param name="MappingVariesByDestination">
/// Whether the server's diagnostics port saw another public endpoint than its main port: the NAT maps the socket anew for
/// each destination ("symmetric", RFC 4787 address- or port-dependent mapping), so the address the server tells a peer
/// is not the one that peer's packets would reach, and hole punching will usually fail: expect the relay.
/// </param>
/// <param name="PortPreserved">Whether the public port is the socket's local port (no NAT, or a NAT that keeps ports).</param>
public sealed record NatReport(IPEndPoint PublicEndPoint, bool MappingVariesByDestination, bool PortPreserved)
{
    /// <summary>The public endpoint the diagnostics port saw; <see langword="null"/> when only the main port was probed.</summary>
    public IPEndPoint? DiagnosticsPublicEndPoint { get; init; }

    /// <summary>The socket's local endpoint the probes were sent from.</summary>
    public IPEndPoint? LocalEndPoint { get; init; }
}
