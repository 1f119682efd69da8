using System.Diagnostics.Metrics;
using Holepunch.Cli.Transport;
using Holepunch.Reactive.Rendezvous;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Holepunch.Cli.Server;

/// <summary>
/// Owns the UDP transports (the server's port, and the diagnostics port when configured) and the
/// <see cref="RendezvousServer"/> for the host's lifetime: starts them, waits for shutdown (or a transport failure,
/// which stops the host), then disposes the server before its transports.
/// </summary>
internal sealed class RendezvousHostedService(
    IOptions<ServerSettings> settings,
    ILoggerFactory loggerFactory,
    IMeterFactory meterFactory,
    IHostApplicationLifetime lifetime) : BackgroundService
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var endPoint = settings.Value.EndPoint;
        using var transport = DatagramTransportFactory.CreateUdp(endPoint);
        using var diagnostics = settings.Value.DiagnosticsEndPoint is { } diagnosticsEndPoint
            ? DatagramTransportFactory.CreateUdp(diagnosticsEndPoint)
            : null;
        var server = new RendezvousServer(
            transport, diagnostics, settings.Value.ServerOptions(), loggerFactory.CreateLogger<RendezvousServer>(), meterFactory);
        try
        {
            server.Start();
            await server.Completion.WaitAsync(stoppingToken).ConfigureAwait(false);
            // The transport completed on its own: nothing more to serve.
            lifetime.StopApplication();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM: a clean stop.
        }
        finally
        {
            server.Dispose();
            // Let the server release its state on its own loop before the transport goes.
            await Task.WhenAny(server.Completion, Task.Delay(StopTimeout, CancellationToken.None)).ConfigureAwait(false);
        }
    }
}
