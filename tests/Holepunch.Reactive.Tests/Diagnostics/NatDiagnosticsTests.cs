using System.Net;
using Holepunch.Reactive.Diagnostics;
using Holepunch.Reactive.Rendezvous;
using Holepunch.Reactive.Testing;
using Holepunch.Reactive.Testing.Network;
using Holepunch.Reactive.Tests.Time;
using Holepunch.Reactive.Transport;

namespace Holepunch.Reactive.Tests.Diagnostics;

/// <summary>NAT probes over the virtual network, against a real server with a diagnostics port, behind each kind of NAT.</summary>
public sealed class NatDiagnosticsTests : IDisposable
{
    private static readonly IPEndPoint Server = new(IPAddress.Parse("203.0.113.1"), 5160);
    private static readonly IPEndPoint Diagnostics = new(IPAddress.Parse("203.0.113.1"), 5161);

    private readonly TestScheduler _scheduler = new();
    private readonly VirtualNetwork _network;
    private readonly VirtualHost _serverHost;
    private readonly List<IDisposable> _owned = [];

    public NatDiagnosticsTests()
    {
        _network = new VirtualNetwork(_scheduler, seed: 11, new LinkOptions { Latency = TimeSpan.FromMilliseconds(20) });
        _serverHost = _network.AddHost(Server.Address);
    }

    [Fact]
    public void FullCone_SameMappingForBothPorts_PortPreserved()
    {
        StartServer(withDiagnostics: true);
        var socket = Behind(NatOptions.FullCone);

        var report = Probe(socket);

        Assert.Equal(new IPEndPoint(IPAddress.Parse("198.51.100.1"), 4000), report.PublicEndPoint);
        Assert.False(report.MappingVariesByDestination);
        Assert.True(report.PortPreserved);
        Assert.Equal(report.PublicEndPoint, report.DiagnosticsPublicEndPoint);
        Assert.Equal(socket.LocalEndPoint, report.LocalEndPoint);
    }

    [Fact]
    public void PortRestrictedCone_SameMappingForBothPorts()
    {
        StartServer(withDiagnostics: true);

        var report = Probe(Behind(NatOptions.PortRestrictedCone));

        Assert.False(report.MappingVariesByDestination);
        Assert.True(report.PortPreserved);
    }

    [Fact]
    public void Symmetric_MappingVariesByDestination()
    {
        StartServer(withDiagnostics: true);

        var report = Probe(Behind(NatOptions.Symmetric));

        Assert.True(report.MappingVariesByDestination);
        Assert.NotEqual(report.PublicEndPoint, report.DiagnosticsPublicEndPoint);
        Assert.Equal(IPAddress.Parse("198.51.100.1"), report.PublicEndPoint.Address);
        Assert.False(report.PortPreserved);
    }

    [Fact]
    public void EndpointIndependentMappingWithoutPortPreservation_SameMapping_PortNotPreserved()
    {
        StartServer(withDiagnostics: true);

        var report = Probe(Behind(NatOptions.PortRestrictedCone with { PortPreservation = false }));

        Assert.False(report.MappingVariesByDestination);
        Assert.False(report.PortPreserved);
        Assert.NotEqual(4000, report.PublicEndPoint.Port);
    }

    [Fact]
    public void NoNat_PublicEndPointIsTheLocalOne()
    {
        StartServer(withDiagnostics: true);
        var socket = Own(_network.AddHost(IPAddress.Parse("203.0.113.50")).Bind(4000));

        var report = Probe(socket);

        Assert.Equal(socket.LocalEndPoint, report.PublicEndPoint);
        Assert.True(report.PortPreserved);
        Assert.False(report.MappingVariesByDestination);
    }

    [Fact]
    public void ObserveAsync_AsksOnePort()
    {
        StartServer(withDiagnostics: false);
        var socket = Behind(NatOptions.Symmetric);

        var observing = NatDiagnostics.ObserveAsync(socket, Server, _scheduler);
        _scheduler.AdvanceBy(TimeSpan.FromMilliseconds(100));

        Assert.Equal(IPAddress.Parse("198.51.100.1"), Completed(observing).Address);
    }

    [Fact]
    public void LossyLink_ProbesAreSentAgainUntilAnswered()
    {
        StartServer(withDiagnostics: true);
        var nat = _network.AddNat(IPAddress.Parse("198.51.100.1"), NatOptions.FullCone);
        var socket = Own(nat.AddHost(IPAddress.Parse("192.168.1.10"), new LinkOptions { Loss = 0.5 }).Bind(4000));

        var probing = NatDiagnostics.ProbeNatAsync(socket, Server, Diagnostics, _scheduler);
        _scheduler.AdvanceBy(TimeSpan.FromSeconds(3));

        // Not every seed loses something; but whatever was lost was sent again within the three attempts, or timed out.
        Assert.True(probing.IsCompleted);
        Assert.True(probing.IsCompletedSuccessfully || probing.Exception!.InnerException is TimeoutException);
    }

    [Fact]
    public void DiagnosticsPortNotServed_TimesOutAfterThreeAttempts()
    {
        StartServer(withDiagnostics: false);
        var socket = Behind(NatOptions.FullCone);
        var sent = 0;
        Own(_network.Trace.Subscribe(t => sent += t.Destination.Equals(Diagnostics) ? 1 : 0));

        var probing = NatDiagnostics.ProbeNatAsync(socket, Server, Diagnostics, _scheduler);
        _scheduler.AdvanceBy(TimeSpan.FromSeconds(3) - TimeSpan.FromTicks(1));
        Assert.False(probing.IsCompleted);
        _scheduler.AdvanceBy(TimeSpan.FromMilliseconds(1));

        Assert.IsType<TimeoutException>(probing.Exception!.InnerException);
        Assert.Equal(3, sent);
    }

    [Fact]
    public void Cancelled_Stops()
    {
        // Cancel runs the probe's continuations on this thread: inline only without xUnit's context.
        using var context = SynchronizationContextScope.None();
        StartServer(withDiagnostics: false);
        using var cancel = new CancellationTokenSource();

        var probing = NatDiagnostics.ProbeNatAsync(Behind(NatOptions.FullCone), Server, Diagnostics, _scheduler, cancel.Token);
        _scheduler.AdvanceBy(TimeSpan.FromMilliseconds(500));
        cancel.Cancel();

        Assert.True(probing.IsCanceled);
    }

    [Fact]
    public void RightAnswerFromAnotherEndPoint_IsIgnored()
    {
        var socket = Behind(NatOptions.FullCone);
        var impostor = Own(_network.AddHost(IPAddress.Parse("203.0.113.99")).Bind(5160));
        var fakeServer = Own(_serverHost.Bind(Server.Port));
        Own(fakeServer.Received.Subscribe(d => impostor.Send(Answer(d, idOffset: 0), d.RemoteEndPoint)));

        var observing = NatDiagnostics.ObserveAsync(socket, Server, _scheduler);
        _scheduler.AdvanceBy(TimeSpan.FromSeconds(3));

        Assert.IsType<TimeoutException>(observing.Exception!.InnerException);
    }

    [Fact]
    public void AnswerToAnotherProbe_IsIgnored()
    {
        var socket = Behind(NatOptions.FullCone);
        var fakeServer = Own(_serverHost.Bind(Server.Port));
        Own(fakeServer.Received.Subscribe(d => fakeServer.Send(Answer(d, idOffset: 1), d.RemoteEndPoint)));

        var observing = NatDiagnostics.ObserveAsync(socket, Server, _scheduler);
        _scheduler.AdvanceBy(TimeSpan.FromSeconds(3));

        Assert.IsType<TimeoutException>(observing.Exception!.InnerException);
    }

    [Fact]
    public void FakeServerAnsweringCorrectly_IsBelieved()
    {
        var socket = Behind(NatOptions.FullCone);
        var fakeServer = Own(_serverHost.Bind(Server.Port));
        Own(fakeServer.Received.Subscribe(d => fakeServer.Send(Answer(d, idOffset: 0), d.RemoteEndPoint)));

        var observing = NatDiagnostics.ObserveAsync(socket, Server, _scheduler);
        _scheduler.AdvanceBy(TimeSpan.FromMilliseconds(100));

        Assert.Equal(new IPEndPoint(IPAddress.Parse("1.2.3.4"), 1), Completed(observing));
    }

    [Fact]
    public async Task NullArguments_Throw()
    {
        var socket = Behind(NatOptions.FullCone);

        await Assert.ThrowsAsync<ArgumentNullException>(() => NatDiagnostics.ProbeNatAsync(null!, Server, Diagnostics));
        await Assert.ThrowsAsync<ArgumentNullException>(() => NatDiagnostics.ProbeNatAsync(socket, null!, Diagnostics));
        await Assert.ThrowsAsync<ArgumentNullException>(() => NatDiagnostics.ProbeNatAsync(socket, Server, null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => NatDiagnostics.ObserveAsync(socket, null!));
    }

    /// <summary>A nat-probe-response to the probe in <paramref name="probe"/>, its id shifted by <paramref name="idOffset"/>.</summary>
    private static byte[] Answer(Datagram probe, long idOffset)
    {
        var id = ((Holepunch.Reactive.Protocol.NatProbe)Holepunch.Reactive.Protocol.MessageCodec.Decode(probe.Payload.Span).Message!).ProbeId;
        return Holepunch.Reactive.Protocol.MessageCodec.EncodeToArray(
            new Holepunch.Reactive.Protocol.NatProbeResponse("", id + idOffset, new IPEndPoint(IPAddress.Parse("1.2.3.4"), 1)));
    }

    public void Dispose()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            owned.Dispose();
        }

        _scheduler.AdvanceBy(TimeSpan.FromMilliseconds(1));
        _network.Dispose();
    }

    private static T Completed<T>(Task<T> task)
    {
        Assert.True(task.IsCompletedSuccessfully, $"Not completed: {task.Status} {task.Exception}");
        return task.Result;
    }

    private NatReport Probe(IDatagramTransport socket)
    {
        var probing = NatDiagnostics.ProbeNatAsync(socket, Server, Diagnostics, _scheduler);
        _scheduler.AdvanceBy(TimeSpan.FromMilliseconds(100));
        return Completed(probing);
    }

    private void StartServer(bool withDiagnostics)
    {
        var main = Own(_serverHost.Bind(Server.Port));
        var diagnostics = withDiagnostics ? Own(_serverHost.Bind(Diagnostics.Port)) : null;
        var server = new RendezvousServer(main, diagnostics, new RendezvousServerOptions { Scheduler = _scheduler });
        server.Start();
        _owned.Add(server);
    }

    private IDatagramTransport Behind(NatOptions options)
    {
        var nat = _network.AddNat(IPAddress.Parse("198.51.100.1"), options);
        return Own(nat.AddHost(IPAddress.Parse("192.168.1.10")).Bind(4000));
    }

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }
}
