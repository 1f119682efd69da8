using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Holepunch.Reactive.Diagnostics;
using Holepunch.Reactive.Transport;

namespace Holepunch.Cli.Commands;

/// <summary>
/// <c>holepunch netcheck --server IP:PORT [--diagnostics-port N] [--local-port N] [--json]</c>: probes a rendezvous
/// server from one UDP socket and prints the public endpoint, whether the NAT maps each destination anew (symmetric:
/// hole punching will usually fail, expect the relay) and whether it keeps the local port.
/// </summary>
internal static class NetcheckCommand
{
    public static Command Create()
    {
        var server = new Option<IPEndPoint?>("--server")
        {
            Description = "The rendezvous server's endpoint (IP:PORT, or HOST:PORT)",
            HelpName = "IP:PORT",
            Required = true,
            CustomParser = ParseServer,
        };
        var diagnosticsPort = new Option<int?>("--diagnostics-port")
        {
            Description = "The server's diagnostics port (holepunch server --diagnostics-port); without it the mapping behaviour is not tested",
            HelpName = "N",
        };
        diagnosticsPort.Validators.Add(static result => ValidatePort(result, "--diagnostics-port", allowZero: false));
        var localPort = new Option<int>("--local-port")
        {
            Description = "The local UDP port to probe from [default: 0, any free port]",
            HelpName = "N",
        };
        localPort.Validators.Add(static result => ValidatePort(result, "--local-port", allowZero: true));
        var json = new Option<bool>("--json") { Description = "Print the report as one JSON object" };

        var command = new Command("netcheck", "Probe a rendezvous server to learn this machine's public UDP endpoint and its NAT's behaviour.")
        {
            server,
            diagnosticsPort,
            localPort,
            json,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(server)!,
            parseResult.GetValue(diagnosticsPort),
            parseResult.GetValue(localPort),
            parseResult.GetValue(json),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(IPEndPoint server, int? diagnosticsPort, int localPort, bool json, CancellationToken cancellationToken)
    {
        var any = server.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        using var transport = UdpDatagramTransport.Bind(new UdpTransportOptions { BindEndPoint = new IPEndPoint(any, localPort) });
        NatReport report;
        try
        {
            if (diagnosticsPort is { } port)
            {
                report = await NatDiagnostics.ProbeNatAsync(
                    transport, server, new IPEndPoint(server.Address, port), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var seen = await NatDiagnostics.ObserveAsync(transport, server, cancellationToken: cancellationToken).ConfigureAwait(false);
                report = new NatReport(seen, MappingVariesByDestination: false, seen.Port == transport.LocalEndPoint.Port)
                {
                    LocalEndPoint = transport.LocalEndPoint,
                };
            }
        }
        catch (TimeoutException)
        {
            var which = diagnosticsPort is { } port ? $"{server} or its diagnostics port {port}" : server.ToString();
            await Console.Error.WriteLineAsync($"No answer from {which} (3 attempts, 1 s each). Is it a Holepunch.Reactive server, and is UDP open?").ConfigureAwait(false);
            return 1;
        }

        var mappingTested = diagnosticsPort is not null;
        await Console.Out.WriteLineAsync(json ? ToJson(report, mappingTested) : ToText(report, server, mappingTested)).ConfigureAwait(false);
        return 0;
    }

    private static string ToText(NatReport report, IPEndPoint server, bool mappingTested)
    {
        var lines = new List<string>
        {
            $"Server:            {server}",
            $"Local endpoint:    {report.LocalEndPoint}",
            $"Public endpoint:   {report.PublicEndPoint}",
        };
        if (mappingTested)
        {
            lines.Add($"Diagnostics saw:   {report.DiagnosticsPublicEndPoint}");
            lines.Add(report.MappingVariesByDestination
                ? "NAT mapping:       varies by destination (symmetric): hole punching will usually fail; the relay is the fallback"
                : "NAT mapping:       the same for every destination: hole punching should work");
        }
        else
        {
            lines.Add("NAT mapping:       not tested (give --diagnostics-port, and run the server with it)");
        }

        lines.Add($"Port preserved:    {(report.PortPreserved ? "yes" : "no")}");
        return string.Join(Environment.NewLine, lines);
    }

    private static string ToJson(NatReport report, bool mappingTested)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("public-endpoint", report.PublicEndPoint.ToString());
            writer.WriteString("local-endpoint", report.LocalEndPoint?.ToString());
            if (mappingTested)
            {
                writer.WriteString("diagnostics-public-endpoint", report.DiagnosticsPublicEndPoint?.ToString());
                writer.WriteBoolean("mapping-varies-by-destination", report.MappingVariesByDestination);
            }
            else
            {
                writer.WriteNull("diagnostics-public-endpoint");
                writer.WriteNull("mapping-varies-by-destination");
            }

            writer.WriteBoolean("port-preserved", report.PortPreserved);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void ValidatePort(OptionResult result, string name, bool allowZero)
    {
        if (result.GetValueOrDefault<int?>() is { } value && (value < (allowZero ? 0 : 1) || value > 65535))
        {
            result.AddError($"{name} must be between {(allowZero ? 0 : 1)} and 65535, not {value}.");
        }
    }

    private static IPEndPoint? ParseServer(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (IPEndPoint.TryParse(text, out var endPoint) && endPoint.Port != 0 && text.Contains(':', StringComparison.Ordinal))
        {
            return endPoint;
        }

        // HOST:PORT: the first address the name resolves to, IPv4 first.
        var colon = text.LastIndexOf(':');
        if (colon > 0 && int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535)
        {
            try
            {
                var addresses = Dns.GetHostAddresses(text[..colon]);
                var address = addresses.FirstOrDefault(static a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
                if (address is not null)
                {
                    return new IPEndPoint(address, port);
                }
            }
            catch (SocketException)
            {
                // Reported below.
            }
        }

        result.AddError($"--server must be IP:PORT or HOST:PORT (a name that resolves), not '{text}'.");
        return null;
    }
}
