using Holepunch.Reactive.Protocol;
using Microsoft.Extensions.Logging;

namespace Holepunch.Reactive.Rendezvous;

/// <summary>
/// Handles each admitted request on the server's scheduler: registrations to the registry, joins to the linker, relay
/// datagrams to the relay, NAT probes to their responder, unusable requests to a <c>missing info from packet data: KEY</c> reply.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>Request</term><description>Reply (to its source, from the local address it arrived at)</description></listheader>
/// <item><term>registering-server, new name</term><description><c>confirming-registration</c>; <c>server full</c> at the limit.</description></item>
/// <item><term>registering-server, same name and address</term><description>Refreshes it; <c>confirming-registration</c>.</description></item>
/// <item><term>registering-server, name held by another address, or with another room key</term><description><c>server already exists</c>.</description></item>
/// <item><term>registering-server, the address holds its maximum of rooms</term><description><c>too many servers from this address</c>.</description></item>
/// <item><term>requesting-to-join-server</term><description>Handshake info to both sides, or <c>NAME not found</c>; for a room
/// with a secret, a challenge or <c>wrong secret for NAME</c> until the join proves the secret (see <see cref="HandshakeLinker"/>).</description></item>
/// <item><term>any reply beyond the amplification limit</term><description>None: counted as <see cref="RendezvousDropReason.AmplificationLimit"/>.</description></item>
/// <item><term>relay-datagram</term><description>Forwarded to the other side of its relay, or <c>relay-refused</c> (see <see cref="RelayForwarder"/>).</description></item>
/// <item><term>nat-probe (either transport)</term><description><c>nat-probe-response</c> with the observed source, from the transport it arrived at.</description></item>
/// <item><term>registering-server or requesting-to-join-server, with a missing or unusable field</term><description><c>missing info from packet data: KEY</c>.</description></item>
/// </list>
/// </remarks>
internal sealed class RendezvousRouter(
    RendezvousAdmission admission,
    AmplificationGuard guard,
    RegistrationRegistry registry,
    HandshakeLinker linker,
    RelayForwarder relay,
    NatProbeResponder probes,
    ReplySender replies,
    RendezvousMetrics metrics,
    ILogger logger,
    int maxRegistrations)
{
    private volatile bool _stopped;

    /// <summary>Stops handling: requests still queued are counted as dropped.</summary>
    public void Stop() => _stopped = true;

    public void Handle(InboundRequest request)
    {
        admission.Dequeued();
        if (_stopped)
        {
            metrics.Dropped(RendezvousDropReason.Stopped);
            return;
        }

        try
        {
            guard.BeginRequest(request.Source, request.Size);
            switch (request.Result.Message)
            {
                case RegisteringServer registering:
                    Register(registering, request);
                    break;
                case RequestingToJoinServer joining:
                    linker.Join(joining, request.Source, request.ReplyFrom);
                    break;
                case RelayDatagram relayed:
                    relay.Forward(relayed, request.Source, request.ReplyFrom);
                    break;
                case NatProbe probe:
                    probes.Answer(probe, request);
                    break;
                default:
                    RefuseInvalid(request);
                    break;
            }
        }
#pragma warning disable CA1031 // One bad request must never stop the server: log it and go on with the next.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            RendezvousLog.HandlerFailed(logger, request.Source, exception);
        }
    }

    private void Register(RegisteringServer request, InboundRequest inbound)
    {
        var (source, from) = (inbound.Source, inbound.ReplyFrom);
        switch (registry.Register(request, source, from, out var registration))
        {
            case RegistrationOutcome.Registered:
                metrics.Registered();
                RendezvousLog.Registered(logger, request.Sender, source, request.LocalEndPoint, registration!.Lifetime);
                replies.Reply(new ConfirmingRegistration(request.Sender), source, from);
                break;
            case RegistrationOutcome.Refreshed:
                metrics.Refreshed();
                RendezvousLog.Refreshed(logger, request.Sender, source, registration!.Lifetime);
                replies.Reply(new ConfirmingRegistration(request.Sender), source, from);
                break;
            case RegistrationOutcome.NameTaken:
                if (logger.IsEnabled(LogLevel.Debug))
                {
                    // Guarded: reading the owner's end point unpacks it.
                    RendezvousLog.NameTaken(logger, request.Sender, source, registration!.GlobalEndPoint);
                }

                replies.ReplyError(ServerErrorKind.AlreadyExists, request.Sender, ServerErrors.AlreadyExists, source, from);
                break;
            case RegistrationOutcome.Full:
                RendezvousLog.Full(logger, request.Sender, source, maxRegistrations);
                replies.ReplyError(ServerErrorKind.Full, request.Sender, ServerErrors.Full, source, from);
                break;
            case RegistrationOutcome.TooManyFromAddress:
                RendezvousLog.TooManyFromAddress(logger, request.Sender, source);
                replies.ReplyError(ServerErrorKind.TooManyFromAddress, request.Sender, ServerErrors.TooManyFromAddress, source, from);
                break;
            case RegistrationOutcome.InvalidVerifier:
                RendezvousLog.InvalidRequest(logger, request.Kind, source, RejectionReason.WrongType, WireNames.RoomVerifier);
                replies.ReplyError(ServerErrorKind.MissingInfo, request.Sender, ServerErrors.MissingInfo(WireNames.RoomVerifier), source, from);
                break;
        }
    }

    private void RefuseInvalid(InboundRequest request)
    {
        // Admission lets through only requests that decoded, or request types with a field problem.
        var rejection = request.Result.Rejection;
        var key = rejection.Key ?? "type";
        RendezvousLog.InvalidRequest(logger, rejection.Kind, request.Source, rejection.Reason, key);
        replies.ReplyError(
            ServerErrorKind.MissingInfo, rejection.Sender ?? "", ServerErrors.MissingInfo(key), request.Source, request.ReplyFrom);
    }
}
