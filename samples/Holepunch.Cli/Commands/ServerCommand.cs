using System.CommandLine;
using System.CommandLine.Parsing;
using System.Net;
using Holepunch.Cli.Server;

namespace Holepunch.Cli.Commands;

/// <summary><c>holepunch server [--bind IP] [--port N] [--diagnostics-port N] [--lan-network CIDR]…</c>: runs a rendezvous server until Ctrl+C or SIGTERM.</summary>
internal static class ServerCommand
{
    public static Command Create()
    {
        var bind = new Option<IPAddress?>("--bind")
        {
            Description = $"The local address to listen on [default: {ServerSettings.DefaultBind}, or {ServerSettings.Section}:Bind in appsettings.json or the environment]",
            HelpName = "IP",
            CustomParser = ParseAddress,
        };
        var port = new Option<int?>("--port")
        {
            Description = $"The UDP port to listen on [default: {ServerSettings.DefaultPort}, or {ServerSettings.Section}:Port]",
            HelpName = "N",
        };
        port.Validators.Add(static result =>
        {
            if (result.GetValueOrDefault<int?>() is { } value && value is < 0 or > 65535)
            {
                result.AddError($"--port must be between 0 and 65535, not {value}.");
            }
        });

        var diagnosticsPort = new Option<int?>("--diagnostics-port")
        {
            Description = $"A second UDP port that answers NAT probes for 'holepunch netcheck' [default: none, or {ServerSettings.Section}:DiagnosticsPort]",
            HelpName = "N",
        };
        diagnosticsPort.Validators.Add(static result =>
        {
            if (result.GetValueOrDefault<int?>() is { } value && value is < 1 or > 65535)
            {
                result.AddError($"--diagnostics-port must be between 1 and 65535, not {value}.");
            }
        });

        var lanNetworks = new Option<string[]>("--lan-network")
        {
            Description = $"A network whose addresses are passed on as peers' LAN addresses, besides the private ranges (repeatable) [or {ServerSettings.Section}:LanNetworks]",
            HelpName = "CIDR",
            AllowMultipleArgumentsPerToken = false,
        };

        var command = new Command("server", "Run a rendezvous (handshake) server for Godot Holepunch clients and Holepunch.Reactive peers.")
        {
            bind,
            port,
            diagnosticsPort,
            lanNetworks,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            // Only what was given on the command line overrides appsettings.json and the environment.
            var overrides = new Dictionary<string, string?>();
            if (parseResult.GetValue(bind) is { } address)
            {
                overrides[$"{ServerSettings.Section}:{nameof(ServerSettings.Bind)}"] = address.ToString();
            }

            if (parseResult.GetValue(port) is { } number)
            {
                overrides[$"{ServerSettings.Section}:{nameof(ServerSettings.Port)}"] = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            if (parseResult.GetValue(diagnosticsPort) is { } diagnostics)
            {
                overrides[$"{ServerSettings.Section}:{nameof(ServerSettings.DiagnosticsPort)}"] = diagnostics.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            if (parseResult.GetValue(lanNetworks) is { Length: > 0 } networks)
            {
                overrides[$"{ServerSettings.Section}:{nameof(ServerSettings.LanNetworks)}"] = string.Join(',', networks);
            }

            return ServerHost.RunAsync(overrides, cancellationToken);
        });
        return command;
    }

    private static IPAddress? ParseAddress(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (IPAddress.TryParse(text, out var address))
        {
            return address;
        }

        result.AddError($"--bind must be an IP address, not '{text}'.");
        return null;
    }
}
