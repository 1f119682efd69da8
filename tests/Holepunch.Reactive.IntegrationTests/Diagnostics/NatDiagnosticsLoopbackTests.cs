using System.Net;
using Holepunch.Reactive.Diagnostics;
using Holepunch.Reactive.Rendezvous;
using Holepunch.Reactive.Transport;

namespace Holepunch.Reactive.IntegrationTests.Diagnostics;

/// <summary>NAT probes over real UDP sockets on loopback: no NAT, so both ports see the socket itself.</summary>
public sealed class NatDiagnosticsLoopbackTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ProbeNat_OnLoopback_SeesTheSocketItselfOnBothPorts()
    {
        using var main = UdpDatagramTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var diagnostics = UdpDatagramTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using (var server = new RendezvousServer(main, diagnostics))
        {
            server.Start();
            using var socket = UdpDatagramTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));

            var report = await NatDiagnostics.ProbeNatAsync(socket, main.LocalEndPoint, diagnostics.LocalEndPoint).WaitAsync(Wait);

            Assert.Equal(socket.LocalEndPoint, report.PublicEndPoint);
            Assert.Equal(socket.LocalEndPoint, report.DiagnosticsPublicEndPoint);
            Assert.False(report.MappingVariesByDestination);
            Assert.True(report.PortPreserved);
            Assert.Equal(2, server.Counters.NatProbesAnswered);
        }
    }

    [Fact]
    public async Task Observe_DualModeClientToIPv4Server_ReportsAnIPv4Endpoint()
    {
        using var main = UdpDatagramTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var server = new RendezvousServer(main);
        server.Start();
        using var socket = UdpDatagramTransport.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));

        var seen = await NatDiagnostics.ObserveAsync(socket, main.LocalEndPoint).WaitAsync(Wait);

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, socket.LocalEndPoint.Port), seen);
    }
}
