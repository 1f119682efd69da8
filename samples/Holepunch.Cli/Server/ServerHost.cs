using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Holepunch.Cli.Server;

/// <summary>The Generic Host of <c>holepunch server</c>: configuration, console logging, and the server's lifetime.</summary>
internal static class ServerHost
{
    /// <summary>Runs the server until Ctrl+C, SIGTERM or a fatal error.</summary>
    /// <param name="commandLine">Configuration given on the command line; it wins over appsettings.json and the environment.</param>
    /// <param name="cancellationToken">Stops the host.</param>
    /// <returns>The process exit code: 0 after a clean shutdown, 1 when the server failed.</returns>
    public static async Task<int> RunAsync(IReadOnlyDictionary<string, string?> commandLine, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            // appsettings.json ships beside the tool, wherever it is run from.
            ContentRootPath = AppContext.BaseDirectory,
            // The raw arguments belong to System.CommandLine; its parsed options are added below.
            Args = null,
        });
        builder.Configuration.AddInMemoryCollection(commandLine);

        // Everything the server logs goes to stderr, leaving stdout to commands that print results.
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(static options => options.LogToStandardErrorThreshold = LogLevel.Trace);

        builder.Services.AddOptions<ServerSettings>()
            .Bind(builder.Configuration.GetSection(ServerSettings.Section))
            .Validate(static s => s.HasValidBind, $"{ServerSettings.Section}:{nameof(ServerSettings.Bind)} must be an IP address.")
            .Validate(static s => s.HasValidPort, $"{ServerSettings.Section}:{nameof(ServerSettings.Port)} must be between 0 and 65535.")
            .Validate(
                static s => s.HasValidDiagnosticsPort,
                $"{ServerSettings.Section}:{nameof(ServerSettings.DiagnosticsPort)} must be between 1 and 65535, and not the server's port.")
            .Validate(
                static s => s.HasValidLanNetworks,
                $"{ServerSettings.Section}:{nameof(ServerSettings.LanNetworks)} must be CIDR prefixes separated by commas, such as 192.0.2.0/24")
            .ValidateOnStart();
        builder.Services.AddSingleton<RendezvousHostedService>();
        builder.Services.AddHostedService(static services => services.GetRequiredService<RendezvousHostedService>());

        using var host = builder.Build();
        // Resolved now: RunAsync disposes the host's services when it returns.
        var server = host.Services.GetRequiredService<RendezvousHostedService>();
        try
        {
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException error)
        {
            await Console.Error.WriteLineAsync($"Invalid configuration: {string.Join(" ", error.Failures)}").ConfigureAwait(false);
            return 1;
        }

        return server.ExecuteTask is { IsFaulted: true } ? 1 : 0;
    }
}
