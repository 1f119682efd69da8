using System.Net;
using System.Reactive.Concurrency;
using Holepunch.Reactive.Protocol;
using Microsoft.Extensions.Logging;

namespace Holepunch.Reactive.Rendezvous;

/// <summary>
/// Answers a join: introduces the joiner and the room's host to each other, or says the room is unknown. A room with a
/// secret (see <see cref="RoomSecret"/>) introduces only a join that answers a fresh challenge with the right proof.
/// Each introduction carries the other side's announced capabilities, and a relay token when both announced
/// <c>relay</c> and the relay has room (see <see cref="RelayOptions"/>), and the other side's <c>peer-key</c> when it
/// announced one (passed on opaque, bounded; the peers check it).
/// </summary>
internal sealed class HandshakeLinker(
    RegistrationRegistry registry,
    JoinChallenges challenges,
    ReplySender replies,
    RelayTable relays,
    RelayMetrics relayMetrics,
    IScheduler scheduler,
    RendezvousServerOptions options,
    RendezvousMetrics metrics,
    ILogger logger)
{
    /// <summary>The longest <c>peer-key</c> passed on; a longer one is dropped as if absent.</summary>
    public const int MaxPeerKeyLength = 256;

    /// <summary>A <c>peer-key</c> as passed on: <see langword="null"/> when absent or longer than <see cref="MaxPeerKeyLength"/>.</summary>
    public static string? BoundedPeerKey(string? key) => key is { Length: > 0 and <= MaxPeerKeyLength } ? key : null;

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
        if (host.RoomKey is { } key && !ProvesSecret(request, key, source, replyFrom))
        {
            return;
        }

        // Unpacked once here: each read of the property makes a new end point.
        var hostEndPoint = host.GlobalEndPoint;
        var joinerCapabilities = CapabilityList.Normalize(request.Capabilities);
        var bothRelay = relays.Enabled && CapabilityList.HasRelay(host.Capabilities) && CapabilityList.HasRelay(joinerCapabilities);
        // The same pair introduced again keeps its relay (and token), so repeated joins cannot use up the caps.
        var relay = bothRelay ? relays.Find(host.Name, hostEndPoint, request.Sender, source) : null;
        var token = relay?.Token ?? (bothRelay && relays.HasRoomFor(hostEndPoint.Address, source.Address) ? RelayTokens.New() : null);

        // Each side probes the other's local address: only a plausible LAN address is passed on (LocalAddressPolicy).
        if (!replies.SendIntroductions(
            new ProvidingPeerHandshakeInfo(host.Name, request.Sender, source, LocalAddressPolicy.Introduced(request.LocalEndPoint, source, options.LanNetworks))
            {
                PeerCapabilities = joinerCapabilities,
                RelayToken = token,
                PeerKey = BoundedPeerKey(request.PeerKey),
            },
            hostEndPoint,
            host.ServerAddress,
            new ProvidingPeerHandshakeInfo(
                request.Sender, host.Name, hostEndPoint, LocalAddressPolicy.Introduced(host.LocalEndPoint, hostEndPoint, options.LanNetworks))
            {
                PeerCapabilities = host.Capabilities,
                RelayToken = token,
                PeerKey = host.PeerKey,
            },
            source,
            replyFrom))
        {
            return;
        }

        if (relay is not null)
        {
            relays.Touch(relay);
        }
        else if (token is not null)
        {
            var now = scheduler.Now;
            relays.Open(
                token,
                new RelaySide(host.Name, hostEndPoint, host.ServerAddress, new ByteBucket(options.Relay.BytesPerSecond, options.Relay.BurstBytes, now)),
                new RelaySide(request.Sender, source, replyFrom, new ByteBucket(options.Relay.BytesPerSecond, options.Relay.BurstBytes, now)));
        }
        else if (bothRelay)
        {
            relayMetrics.Refused(RelayRefusalReason.RelayFull);
            RelayLog.Full(logger, host.Name, request.Sender);
        }

        metrics.Joined();
        RendezvousLog.Joined(logger, request.Sender, source, host.Name, hostEndPoint);
    }

    /// <summary>Whether the join proves the room's secret; when it does not, the joiner has been answered.</summary>
    private bool ProvesSecret(RequestingToJoinServer request, byte[] key, IPEndPoint source, IPAddress? replyFrom)
    {
        var (joiner, room) = (request.Sender, request.ServerName);
        if (request.Challenge is not { } challenge || !challenges.IsFresh(challenge, source, joiner, room))
        {
            // No answer yet, or to a stale or foreign challenge: a new challenge, which only the joiner's address receives.
            RendezvousLog.Challenged(logger, joiner, source, room);
            var error = new ServerError(joiner, ServerErrors.SecretRequired(room)) { Challenge = challenges.Issue(source, joiner, room) };
            replies.ReplyError(ServerErrorKind.SecretRequired, error, source, replyFrom);
            return false;
        }

        if (request.ChallengeResponse is { } response && RoomSecret.IsValidResponse(key, challenge, joiner, room, response))
        {
            return true;
        }

        // A fresh challenge answered wrongly: no new challenge, so a client with the wrong secret stops at once.
        RendezvousLog.WrongSecret(logger, joiner, source, room);
        replies.ReplyError(ServerErrorKind.WrongSecret, joiner, ServerErrors.WrongSecret(room), source, replyFrom);
        return false;
    }
}
