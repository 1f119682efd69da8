using System.Net;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Security.Cryptography;
using Holepunch.Reactive.Protocol;
using Holepunch.Reactive.Resilience;
using Holepunch.Reactive.Time;
using Holepunch.Reactive.Transport;

namespace Holepunch.Reactive.Diagnostics;

/// <summary>
/// NAT diagnostics against a rendezvous server (the <c>nat-probe</c> extension): which public endpoint a socket has,
/// and whether its NAT gives it another one for another destination.
/// </summary>
/// <remarks>
/// A probe is sent to the server's main port and one to its diagnostics port (same address, another port; see
/// <c>holepunch server --diagnostics-port</c>), both from the one socket given, and each is answered with the source
/// the server saw. Each probe is sent again until answered, with the reference client's timing: 1 second per attempt,
/// 3 attempts. Only answers from the probed endpoint, to the probe's own id, count.
/// </remarks>
public static class NatDiagnostics
{
    /// <summary>Probes the server's main and diagnostics ports from <paramref name="transport"/> and reports on the NAT.</summary>
    /// <param name="transport">The socket to probe from (not disposed; its other traffic is left alone).</param>
    /// <param name="server">The rendezvous server's main endpoint.</param>
    /// <param name="diagnostics">The server's diagnostics endpoint (another port of the same address).</param>
    /// <param name="scheduler">The clock for the reply timeouts; <see langword="null"/> for <see cref="Scheduler.Default"/>.</param>
    /// <param name="cancellationToken">Stops the probes.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException">A required argument is <see langword="null"/>.</exception>
    /// <exception cref="TimeoutException">A port did not answer any attempt.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<NatReport> ProbeNatAsync(
        IDatagramTransport transport,
        IPEndPoint server,
        IPEndPoint diagnostics,
        IScheduler? scheduler = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var clock = ContextFreeScheduler.Wrap(scheduler ?? Scheduler.Default);
        var runner = new RequestRunner(RequestRetryOptions.Default, clock);

        // Both at once, from the one socket: a NAT that maps per destination shows two public endpoints.
        var main = ObserveCoreAsync(transport, server, runner, clock, cancellationToken);
        var second = ObserveCoreAsync(transport, diagnostics, runner, clock, cancellationToken);
        var seenByMain = await main.ConfigureAwait(false);
        var seenByDiagnostics = await second.ConfigureAwait(false);
        return Report(transport.LocalEndPoint, seenByMain, seenByDiagnostics);
    }

    /// <summary>Asks one server port which public endpoint <paramref name="transport"/> has towards it.</summary>
    /// <param name="transport">The socket to probe from (not disposed; its other traffic is left alone).</param>
    /// <param name="server">The server endpoint to ask (its main or its diagnostics port).</param>
    /// <param name="scheduler">The clock for the reply timeouts; <see langword="null"/> for <see cref="Scheduler.Default"/>.</param>
    /// <param name="cancellationToken">Stops the probe.</param>
    /// <returns>The socket's source endpoint as the server saw it.</returns>
    /// <exception cref="ArgumentNullException">A required argument is <see langword="null"/>.</exception>
    /// <exception cref="TimeoutException">The server did not answer any attempt.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<IPEndPoint> ObserveAsync(
        IDatagramTransport transport,
        IPEndPoint server,
        IScheduler? scheduler = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(server);
        var clock = ContextFreeScheduler.Wrap(scheduler ?? Scheduler.Default);
        return ObserveCoreAsync(transport, server, new RequestRunner(RequestRetryOptions.Default, clock), clock, cancellationToken);
    }

    /// <summary>The report from what the two ports saw.</summary>
    internal static NatReport Report(IPEndPoint local, IPEndPoint seenByMain, IPEndPoint? seenByDiagnostics) =>
        new(seenByMain, seenByDiagnostics is not null && !seenByMain.Equals(seenByDiagnostics), seenByMain.Port == local.Port)
        {
            DiagnosticsPublicEndPoint = seenByDiagnostics,
            LocalEndPoint = local,
        };

    private static async Task<IPEndPoint> ObserveCoreAsync(
        IDatagramTransport transport, IPEndPoint target, RequestRunner runner, IScheduler scheduler, CancellationToken cancellationToken)
    {
        var probeId = RandomNumberGenerator.GetInt32(int.MaxValue);
        var probe = MessageCodec.EncodeToArray(new NatProbe("", probeId));
        var answer = new TaskCompletionSource<IPEndPoint>();
        var expected = Canonical(target);

        // Decoded on the receive thread, while the payload is valid; answered on the scheduler, where the runner's timeouts run.
        using var replies = transport.Received
            .Select(datagram => Canonical(datagram.RemoteEndPoint).Equals(expected)
                && MessageCodec.Decode(datagram.Payload.Span).Message is NatProbeResponse response
                && response.ProbeId == probeId
                    ? Canonical(response.ObservedAddress)
                    : null)
            .Where(static observed => observed is not null)
            .ObserveOn(scheduler)
            .Subscribe(observed => answer.TrySetResult(observed!));
        return await runner.RunAsync(_ => transport.Send(probe, target), answer.Task, cancellationToken).ConfigureAwait(false);
    }

    private static IPEndPoint Canonical(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;
}
