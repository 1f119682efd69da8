using System.Net;
using Holepunch.Reactive.Protocol;
using Microsoft.Extensions.Logging;

namespace Holepunch.Reactive.Rendezvous;

/// <summary>Answers a join: introduces the joiner and the room's host to each other, or says the room is unknown.</summary>
internal sealed class HandshakeLinker(RegistrationRegistry registry, ReplySender replies, RendezvousMetrics metrics, ILogger logger)
{
    /// <summary>Handles one <c>requesting-to-join-server</c>.</summary>
    /// <param name="request">The join.</param>
    /// <param name="source">Where it came from: the joiner's public address.</param>
    /// <param name="replyFrom">The local address it arrived at.</param>
    public void Join(RequestingToJoinServer request, IPEndPoint source, IPAddress? replyFrom)
    {
        var found = registry.Lookup(request.ServerName);
        if (!found.HasValue)
        {
            RendezvousLog.RoomNotFound(logger, request.Sender, source, request.ServerName);
            replies.ReplyError(ServerErrorKind.NotFound, request.Sender, ServerErrors.NotFound(request.ServerName), source, replyFrom);
            return;
        }

        var host = found.Value;
        if (!replies.SendIntroductions(
            new ProvidingPeerHandshakeInfo(host.Name, request.Sender, source, request.LocalEndPoint),
            host.GlobalEndPoint,
            host.ServerAddress,
            new ProvidingPeerHandshakeInfo(request.Sender, host.Name, host.GlobalEndPoint, host.LocalEndPoint),
            source,
            replyFrom))
        {
            return;
        }

        metrics.Joined();
        RendezvousLog.Joined(logger, request.Sender, source, host.Name, host.GlobalEndPoint);
    }
}
