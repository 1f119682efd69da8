using System.Net;
using Holepunch.Reactive.Peers;
using Holepunch.Reactive.Resilience;
using Microsoft.Extensions.Logging;

namespace Holepunch.Cli.Peer;

/// <summary>What <c>host</c> and <c>join</c> were told on the command line.</summary>
internal sealed record PeerSettings
{
    /// <summary>The rendezvous server (<c>--server</c>).</summary>
    public required IPEndPoint Server { get; init; }

    /// <summary>The local address to bind (<c>--bind</c>).</summary>
    public IPAddress Bind { get; init; } = IPAddress.Any;

    /// <summary>The local port to bind (<c>--port</c>); 0 for any.</summary>
    public int Port { get; init; }

    /// <summary>Print events as JSON lines (<c>--json</c>).</summary>
    public bool Json { get; init; }

    /// <summary>The address reported to the server for the LAN fallback (<c>--advertise</c>); <see langword="null"/> for the client's choice.</summary>
    public IPEndPoint? Advertise { get; init; }

    /// <summary>How long each punch probe, peer check and reliable send waits for its reply (<c>--punch-timeout</c>).</summary>
    public TimeSpan? PunchTimeout { get; init; }

    /// <summary>How many times each of those is sent (<c>--punch-attempts</c>).</summary>
    public int? PunchAttempts { get; init; }

    /// <summary>How often confirmed peers are checked (<c>--check-interval</c>).</summary>
    public TimeSpan? CheckInterval { get; init; }

    /// <summary>Keep running after standard input ends (<c>--stay</c>), until Ctrl+C, SIGTERM or the connection ends.</summary>
    public bool Stay { get; init; }

    /// <summary>How long to keep receiving after standard input ended and every message settled (<c>--linger</c>).</summary>
    public TimeSpan Linger { get; init; }

    /// <summary>Do not announce relay support: a pair that cannot punch then fails instead of relaying (<c>--no-relay</c>).</summary>
    public bool NoRelay { get; init; }

    /// <summary>Log the client's debug messages to standard error (<c>--verbose</c>).</summary>
    public bool Verbose { get; init; }

    /// <summary>The client's options.</summary>
    public HolepunchClientOptions ToClientOptions(ILoggerFactory? loggerFactory)
    {
        var retry = RequestRetryOptions.Default;
        if (PunchTimeout is { } timeout)
        {
            retry = retry with { ReplyTimeout = timeout };
        }

        if (PunchAttempts is { } attempts)
        {
            retry = retry with { MaxAttempts = attempts };
        }

        var options = new HolepunchClientOptions
        {
            RendezvousEndPoint = Server,
            LocalEndPoint = new IPEndPoint(Bind, Port),
            AdvertisedLocalEndPoint = Advertise,
            PeerRetry = retry,
            PunchRetry = retry,
            ReliableRetry = retry,
            EnableRelay = !NoRelay,
            ProbePacing = retry.ReplyTimeout > TimeSpan.FromMilliseconds(50) ? TimeSpan.FromMilliseconds(50) : TimeSpan.Zero,
            LoggerFactory = loggerFactory,
        };
        return CheckInterval is { } interval ? options with { PeerCheckInterval = interval } : options;
    }
}
