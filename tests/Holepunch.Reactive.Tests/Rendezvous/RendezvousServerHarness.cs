using System.Diagnostics.Metrics;
using System.Net;
using Holepunch.Reactive.Rendezvous;
using Holepunch.Reactive.Testing;
using Microsoft.Extensions.Logging;

namespace Holepunch.Reactive.Tests.Rendezvous;

/// <summary>A started server on a <see cref="FakeDatagramTransport"/> and a <see cref="TestScheduler"/>.</summary>
internal sealed class RendezvousServerHarness : IDisposable
{
    /// <summary>The server's own address, as datagrams arrive at it (packet information).</summary>
    public static readonly IPEndPoint ServerEndPoint = new(IPAddress.Parse("192.0.2.1"), 5160);

    public RendezvousServerHarness(Action<RendezvousServerOptions>? configure = null, IMeterFactory? meterFactory = null, ILogger? logger = null)
    {
        var options = new RendezvousServerOptions { Scheduler = Scheduler };
        configure?.Invoke(options);
        Server = new RendezvousServer(Transport, options, logger, meterFactory);
        Server.Start();
    }

    private int _received;

    public TestScheduler Scheduler { get; } = new();

    public FakeDatagramTransport Transport { get; } = new();

    public RendezvousServer Server { get; }

    public List<SentDatagram> Sent => Transport.Sent;

    public static IPEndPoint EndPoint(string text) => IPEndPoint.Parse(text);

    /// <summary>Pushes one datagram from <paramref name="from"/>, arriving at <paramref name="at"/> (the server's address by default).</summary>
    public void Receive(string json, IPEndPoint from, IPEndPoint? at = null)
    {
        Transport.Push(json, from, at ?? ServerEndPoint);
        _received++;
    }

    /// <summary>Pushes one datagram of raw bytes.</summary>
    public void Receive(byte[] payload, IPEndPoint from, IPEndPoint? at = null)
    {
        Transport.Push(payload, from, at ?? ServerEndPoint);
        _received++;
    }

    /// <summary>Pushes one datagram and lets the server handle everything due now.</summary>
    public void Handle(string json, IPEndPoint from, IPEndPoint? at = null)
    {
        Receive(json, from, at);
        Run();
    }

    /// <summary>
    /// Handles every datagram received since the last run. <c>ObserveOn</c> delivers one item per scheduled action and
    /// a test scheduler runs each one tick after the last, so n datagrams take n ticks (dropped ones just leave a tick idle).
    /// </summary>
    public void Run()
    {
        Scheduler.AdvanceBy(Math.Max(1, _received));
        _received = 0;
    }

    /// <summary>Takes the datagrams sent so far, clearing the record.</summary>
    public SentDatagram[] TakeSent()
    {
        var sent = Sent.ToArray();
        Sent.Clear();
        return sent;
    }

    public static string Register(string room, string localIp = "10.0.0.2", int localPort = 4001, int seconds = 60) =>
        $$"""{"type":"registering-server","local-address":["{{localIp}}",{{localPort}}],"seconds-before-expiry":{{seconds}},"sender":"{{room}}","intended-recipient":""}""";

    public static string Join(string joiner, string room, string localIp = "10.0.0.7", int localPort = 4002) =>
        $$"""{"type":"requesting-to-join-server","local-address":["{{localIp}}",{{localPort}}],"server-name":"{{room}}","sender":"{{joiner}}","intended-recipient":""}""";

    public static string Confirmation(string room) =>
        $$"""{"type":"confirming-registration","intended-recipient":"{{room}}"}""";

    public static string Error(string recipient, string message) =>
        $$"""{"type":"server-error","message":"{{message}}","intended-recipient":"{{recipient}}"}""";

    public void Dispose()
    {
        Server.Dispose();
        Run();
        Transport.Dispose();
    }
}
