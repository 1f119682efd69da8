using System.Net;
using Holepunch.Reactive.Protocol;
using Microsoft.Extensions.Logging;

namespace Holepunch.Reactive.Rendezvous;

/// <summary>The rendezvous server's structured log events (source-generated, no work when a level is off).</summary>
internal static partial class RendezvousLog
{
    [LoggerMessage(1, LogLevel.Information, "Rendezvous server started on {LocalEndPoint}")]
    public static partial void Started(ILogger logger, IPEndPoint localEndPoint);

    [LoggerMessage(2, LogLevel.Information, "Rendezvous server stopped ({Counters})")]
    public static partial void Stopped(ILogger logger, RendezvousServerCounters counters);

    [LoggerMessage(3, LogLevel.Information, "The transport completed; the rendezvous server no longer receives")]
    public static partial void TransportCompleted(ILogger logger);

    [LoggerMessage(4, LogLevel.Error, "The transport failed; the rendezvous server no longer receives")]
    public static partial void TransportFailed(ILogger logger, Exception exception);

    [LoggerMessage(5, LogLevel.Error, "Handling a request from {Source} failed")]
    public static partial void HandlerFailed(ILogger logger, IPEndPoint source, Exception exception);

    [LoggerMessage(10, LogLevel.Information, "Room {Room} registered from {GlobalEndPoint} (local {LocalEndPoint}) for {Lifetime}")]
    public static partial void Registered(ILogger logger, string room, IPEndPoint globalEndPoint, IPEndPoint localEndPoint, TimeSpan lifetime);

    [LoggerMessage(11, LogLevel.Debug, "Room {Room} refreshed from {GlobalEndPoint} for {Lifetime}")]
    public static partial void Refreshed(ILogger logger, string room, IPEndPoint globalEndPoint, TimeSpan lifetime);

    [LoggerMessage(12, LogLevel.Information, "Room {Room} registered from {GlobalEndPoint} expired")]
    public static partial void Expired(ILogger logger, string room, IPEndPoint globalEndPoint);

    [LoggerMessage(13, LogLevel.Debug, "Room {Room} refused to {Source}: registered from {Owner}")]
    public static partial void NameTaken(ILogger logger, string room, IPEndPoint source, IPEndPoint owner);

    [LoggerMessage(14, LogLevel.Warning, "Room {Room} refused to {Source}: {MaxRegistrations} rooms are registered")]
    public static partial void Full(ILogger logger, string room, IPEndPoint source, int maxRegistrations);

    [LoggerMessage(15, LogLevel.Warning, "Room {Room} refused to {Source}: the address has its maximum of rooms")]
    public static partial void TooManyFromAddress(ILogger logger, string room, IPEndPoint source);

    [LoggerMessage(20, LogLevel.Information, "{Joiner} at {JoinerEndPoint} joined room {Room} at {HostEndPoint}")]
    public static partial void Joined(ILogger logger, string joiner, IPEndPoint joinerEndPoint, string room, IPEndPoint hostEndPoint);

    [LoggerMessage(21, LogLevel.Debug, "{Joiner} at {Source} asked for room {Room}, which is not registered")]
    public static partial void RoomNotFound(ILogger logger, string joiner, IPEndPoint source, string room);

    [LoggerMessage(22, LogLevel.Debug, "{Joiner} at {Source} challenged for room {Room}, which has a secret")]
    public static partial void Challenged(ILogger logger, string joiner, IPEndPoint source, string room);

    [LoggerMessage(23, LogLevel.Information, "{Joiner} at {Source} refused room {Room}: wrong secret")]
    public static partial void WrongSecret(ILogger logger, string joiner, IPEndPoint source, string room);

    [LoggerMessage(30, LogLevel.Debug, "{Kind} from {Source} refused: {Reason} ({Key})")]
    public static partial void InvalidRequest(ILogger logger, MessageKind kind, IPEndPoint source, RejectionReason reason, string key);

    [LoggerMessage(31, LogLevel.Trace, "Datagram from {Source} dropped: {Reason}")]
    public static partial void Dropped(ILogger logger, IPEndPoint source, RendezvousDropReason reason);

    [LoggerMessage(40, LogLevel.Warning, "Could not send {Kind} to {Destination}")]
    public static partial void SendFailed(ILogger logger, MessageKind kind, IPEndPoint destination);

    [LoggerMessage(41, LogLevel.Error, "A work item of the server's loop failed; the loop goes on")]
    public static partial void LoopItemFailed(ILogger logger, Exception exception);
}
