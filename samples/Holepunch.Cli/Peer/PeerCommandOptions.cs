using System.CommandLine;
using System.CommandLine.Parsing;
using System.Net;
using System.Net.Sockets;
using Holepunch.Cli.Parsing;

namespace Holepunch.Cli.Peer;

/// <summary>The options <c>host</c> and <c>join</c> share, and how they become <see cref="PeerSettings"/>.</summary>
internal sealed class PeerCommandOptions
{
    private readonly Option<IPEndPoint?> _server = new("--server")
    {
        Description = "The rendezvous server, IP:PORT",
        HelpName = "IP:PORT",
        Required = true,
        CustomParser = EndPointParser.ParseEndPoint,
    };

    private readonly Option<IPAddress?> _bind = new("--bind")
    {
        Description = "The local address to bind [default: 0.0.0.0, or :: for an IPv6 server]",
        HelpName = "IP",
        CustomParser = EndPointParser.ParseAddress,
    };

    private readonly Option<int?> _port = new("--port")
    {
        Description = "The local UDP port to bind [default: 0, any free port]",
        HelpName = "N",
    };

    private readonly Option<bool> _json = new("--json")
    {
        Description = "Print one JSON object per event on stdout (logs go to stderr)",
    };

    private readonly Option<IPEndPoint?> _advertise = new("--advertise")
    {
        Description = "The local address reported to the server for the LAN fallback [default: the bound address, or the one routed to the server]",
        HelpName = "IP:PORT",
        CustomParser = EndPointParser.ParseEndPoint,
    };

    private readonly Option<double?> _punchTimeout = new("--punch-timeout")
    {
        Description = "Seconds each punch probe, peer check and reliable send waits for its reply [default: 1]",
        HelpName = "SECONDS",
    };

    private readonly Option<int?> _punchAttempts = new("--punch-attempts")
    {
        Description = "How many times each punch probe, peer check and reliable message is sent [default: 3]",
        HelpName = "N",
    };

    private readonly Option<double?> _checkInterval = new("--check-interval")
    {
        Description = "Seconds between checks of each confirmed peer [default: 15]",
        HelpName = "SECONDS",
    };

    private readonly Option<bool> _stay = new("--stay")
    {
        Description = "Keep running after stdin ends, until Ctrl+C, SIGTERM or the connection ends (for a host in the background)",
    };

    private readonly Option<double?> _linger = new("--linger")
    {
        Description = "Seconds to keep receiving after stdin ended and every message was acknowledged or timed out [default: 0]",
        HelpName = "SECONDS",
    };

    private readonly Option<bool> _noRelay = new("--no-relay")
    {
        Description = "Do not offer the server's relay: a peer that cannot be punched to is reported as a handshake timeout",
    };

    private readonly Option<bool> _verbose = new("--verbose")
    {
        Description = "Log the client's debug messages to stderr",
    };

    public PeerCommandOptions()
    {
        _port.Validators.Add(static result => Range(result, 0, 65535));
        _punchAttempts.Validators.Add(static result => Range(result, 1, 100));
        _punchTimeout.Validators.Add(static result => PositiveSeconds(result));
        _checkInterval.Validators.Add(static result => PositiveSeconds(result));
        _linger.Validators.Add(static result => PositiveSeconds(result, allowZero: true));
    }

    /// <summary>Adds every shared option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_server);
        command.Options.Add(_bind);
        command.Options.Add(_port);
        command.Options.Add(_json);
        command.Options.Add(_advertise);
        command.Options.Add(_punchTimeout);
        command.Options.Add(_punchAttempts);
        command.Options.Add(_checkInterval);
        command.Options.Add(_stay);
        command.Options.Add(_linger);
        command.Options.Add(_noRelay);
        command.Options.Add(_verbose);
    }

    /// <summary>The settings of a successful parse.</summary>
    public PeerSettings Read(ParseResult result)
    {
        var server = result.GetValue(_server)!;
        return new()
        {
            Server = server,
            Bind = result.GetValue(_bind) ?? (server.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any),
            Port = result.GetValue(_port) ?? 0,
            Json = result.GetValue(_json),
            Advertise = result.GetValue(_advertise),
            PunchTimeout = Seconds(result.GetValue(_punchTimeout)),
            PunchAttempts = result.GetValue(_punchAttempts),
            CheckInterval = Seconds(result.GetValue(_checkInterval)),
            Stay = result.GetValue(_stay),
            Linger = Seconds(result.GetValue(_linger)) ?? TimeSpan.Zero,
            NoRelay = result.GetValue(_noRelay),
            Verbose = result.GetValue(_verbose),
        };
    }

    private static TimeSpan? Seconds(double? value) => value is { } seconds ? TimeSpan.FromSeconds(seconds) : null;

    private static void Range(OptionResult result, int min, int max)
    {
        if (result.GetValueOrDefault<int?>() is { } value && (value < min || value > max))
        {
            result.AddError($"{result.Option.Name} must be between {min} and {max}, not {value}.");
        }
    }

    private static void PositiveSeconds(OptionResult result, bool allowZero = false)
    {
        if (result.GetValueOrDefault<double?>() is { } value
            && (double.IsNaN(value) || value < 0 || (value == 0 && !allowZero) || value > 86_400))
        {
            result.AddError($"{result.Option.Name} must be a number of seconds {(allowZero ? "from 0" : "above 0")} up to 86400, not {value}.");
        }
    }
}
