using System.Net;
using Microsoft.Extensions.Logging;

namespace Holepunch.Reactive.Rendezvous;

/// <summary>The relay's and the NAT diagnostics' structured log events (source-generated, no work when a level is off).</summary>
internal static partial class RelayLog
{
    [LoggerMessage(50, LogLevel.Information, "Relay opened between {Host} at {HostEndPoint} and {Joiner} at {JoinerEndPoint}")]
    public static partial void Opened(ILogger logger, string host, IPEndPoint hostEndPoint, string joiner, IPEndPoint joinerEndPoint);

    [LoggerMessage(51, LogLevel.Information, "Relay between {Host} and {Joiner} closed ({Reason}) after {Age}")]
    public static partial void Closed(ILogger logger, string host, string joiner, RelayCloseReason reason, TimeSpan age);

    [LoggerMessage(52, LogLevel.Debug, "Relay datagram from {Sender} at {Source} refused: {Reason}")]
    public static partial void Refused(ILogger logger, string sender, IPEndPoint source, RelayRefusalReason reason);

    [LoggerMessage(53, LogLevel.Warning, "No relay for {Host} and {Joiner}: the relay caps are reached")]
    public static partial void Full(ILogger logger, string host, string joiner);

    [LoggerMessage(55, LogLevel.Information, "NAT diagnostics port listening on {LocalEndPoint} (answers nat-probe only)")]
    public static partial void DiagnosticsStarted(ILogger logger, IPEndPoint localEndPoint);

    [LoggerMessage(54, LogLevel.Trace, "NAT probe {ProbeId} from {Source} answered")]
    public static partial void NatProbe(ILogger logger, long probeId, IPEndPoint source);
}
