using System.Net;
using Holepunch.Reactive.Protocol;
using Holepunch.Reactive.Transport;
using Microsoft.Extensions.Logging;

namespace Holepunch.Reactive.Rendezvous;

/// <summary>
/// Decides, on the receive thread, which datagrams reach the server's scheduler: the source's rate limit first (so a
/// flood costs no parsing), then decoding, then whether it is a request at all, then the bound on waiting requests.
/// Everything turned away is counted by reason and gets no reply.
/// </summary>
/// <remarks>
/// <para>
/// Requests are <c>registering-server</c>, <c>requesting-to-join-server</c>, <c>relay-datagram</c> and <c>nat-probe</c>;
/// at the diagnostics transport, only <c>nat-probe</c>. A <c>relay-datagram</c> from an endpoint that is a side of an
/// open relay skips the source's rate limit (the relay's bandwidth bounds it instead, on the scheduler), so a relayed
/// game is not throttled to the request rate; anything else from such an endpoint still pays it, after decoding.
/// </para>
/// <para>
/// Which malformed datagrams are answered: only those whose <c>type</c> names a Godot request
/// (<c>registering-server</c>, <c>requesting-to-join-server</c>) get <c>missing info from packet data: KEY</c>.
/// Anything else — not JSON, not an object, oversize, no or unknown <c>type</c>, a malformed relay datagram or NAT
/// probe, peer-to-peer or server message types — is dropped silently: answering unrecognised traffic would make the
/// server a reflector for spoofed sources, the Godot client only acts on errors for its own requests, and a
/// <c>server-error</c> ends a client's session.
/// </para>
/// </remarks>
internal sealed class RendezvousAdmission(
    SourceRateLimiter rateLimiter, RelayTable relays, RendezvousMetrics metrics, ILogger logger, int maxDatagramSize, int maxPending)
{
    private int _pending;
    private volatile bool _stopped;

    /// <summary>Turns one datagram into a request for the scheduler, or the default value when it is dropped.</summary>
    /// <param name="datagram">The datagram; its payload is read here and not kept.</param>
    /// <returns>The request; <see cref="InboundRequest.IsAdmitted"/> is <see langword="false"/> when dropped.</returns>
    public InboundRequest Admit(Datagram datagram) => Admit(datagram, atDiagnostics: false);

    /// <summary>Like <see cref="Admit(Datagram)"/>, for a datagram that arrived at the diagnostics transport: only NAT probes pass.</summary>
    /// <param name="datagram">The datagram; its payload is read here and not kept.</param>
    /// <returns>The request; <see cref="InboundRequest.IsAdmitted"/> is <see langword="false"/> when dropped.</returns>
    public InboundRequest AdmitDiagnostics(Datagram datagram) => Admit(datagram, atDiagnostics: true);

    private InboundRequest Admit(Datagram datagram, bool atDiagnostics)
    {
        metrics.Received();
        var source = datagram.RemoteEndPoint;
        if (_stopped)
        {
            return Drop(source, RendezvousDropReason.Stopped);
        }

        var relaySide = !atDiagnostics && relays.IsRelayEndPoint(source);
        RendezvousDropReason limited;
        if (!relaySide && !rateLimiter.TryAcquire(source.Address, out limited))
        {
            return Drop(source, limited);
        }

        var result = MessageCodec.Decode(datagram.Payload.Span, maxDatagramSize);
        if (relaySide && !(result.IsSuccess && result.Message.Kind == MessageKind.RelayDatagram) && !rateLimiter.TryAcquire(source.Address, out limited))
        {
            return Drop(source, limited);
        }

        if (DropReasonOf(result, atDiagnostics) is { } reason)
        {
            return Drop(source, reason);
        }

        if (Interlocked.Increment(ref _pending) > maxPending)
        {
            Interlocked.Decrement(ref _pending);
            return Drop(source, RendezvousDropReason.Overloaded);
        }

        return new InboundRequest(result, source, ReplyAddressOf(datagram.LocalEndPoint), datagram.Payload.Length, atDiagnostics);
    }

    /// <summary>The scheduler took one admitted request off the queue.</summary>
    public void Dequeued() => Interlocked.Decrement(ref _pending);

    /// <summary>Drops everything from now on (the server is stopping).</summary>
    public void Stop() => _stopped = true;

    /// <summary>Whether a request type is one the server answers, even with a <c>server-error</c> when a field is unusable.</summary>
    public static bool IsRequest(MessageKind kind) =>
        kind is MessageKind.RegisteringServer or MessageKind.RequestingToJoinServer;

    /// <summary>Whether a type is an extension the server handles, but never answers with a <c>server-error</c>.</summary>
    public static bool IsExtension(MessageKind kind) => kind is MessageKind.RelayDatagram or MessageKind.NatProbe;

    private static RendezvousDropReason? DropReasonOf(DecodeResult result, bool atDiagnostics)
    {
        if (result.IsSuccess)
        {
            var kind = result.Message.Kind;
            var handled = atDiagnostics ? kind == MessageKind.NatProbe : IsRequest(kind) || IsExtension(kind);
            return handled ? null : RendezvousDropReason.NotARequest;
        }

        var rejected = result.Rejection.Kind;
        return result.Rejection.Reason switch
        {
            RejectionReason.Oversize => RendezvousDropReason.Oversize,
            RejectionReason.MalformedJson or RejectionReason.NotAnObject => RendezvousDropReason.Malformed,
            RejectionReason.MissingType => RendezvousDropReason.MissingType,
            RejectionReason.UnknownType => RendezvousDropReason.UnknownType,
            // A field problem: a request is answered (missing info), an extension never is, anything else was not for us.
            _ when !atDiagnostics && IsRequest(rejected) => null,
            _ when IsExtension(rejected) => RendezvousDropReason.InvalidExtensionMessage,
            _ => RendezvousDropReason.NotARequest,
        };
    }

    /// <summary>The address to reply from: the one the datagram arrived at, unless the transport only knows the wildcard.</summary>
    private static IPAddress? ReplyAddressOf(IPEndPoint local)
    {
        var address = local.Address;
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ? null : local.Address;
    }

    private InboundRequest Drop(IPEndPoint source, RendezvousDropReason reason)
    {
        metrics.Dropped(reason);
        RendezvousLog.Dropped(logger, source, reason);
        return default;
    }
}
