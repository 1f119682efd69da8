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
/// Which malformed datagrams are answered: only those whose <c>type</c> names a request the server handles
/// (<c>registering-server</c>, <c>requesting-to-join-server</c>) get <c>missing info from packet data: KEY</c>.
/// Anything else — not JSON, not an object, oversize, no or unknown <c>type</c>, peer-to-peer or server message
/// types — is dropped silently: answering unrecognised traffic would make the server a reflector for spoofed
/// sources, and the Godot client only acts on errors for its own requests.
/// </remarks>
internal sealed class RendezvousAdmission(
    SourceRateLimiter rateLimiter, RendezvousMetrics metrics, ILogger logger, int maxDatagramSize, int maxPending)
{
    private int _pending;
    private volatile bool _stopped;

    /// <summary>Turns one datagram into a request for the scheduler, or the default value when it is dropped.</summary>
    /// <param name="datagram">The datagram; its payload is read here and not kept.</param>
    /// <returns>The request; <see cref="InboundRequest.IsAdmitted"/> is <see langword="false"/> when dropped.</returns>
    public InboundRequest Admit(Datagram datagram)
    {
        metrics.Received();
        var source = datagram.RemoteEndPoint;
        if (_stopped)
        {
            return Drop(source, RendezvousDropReason.Stopped);
        }

        if (!rateLimiter.TryAcquire(source.Address, out var limited))
        {
            return Drop(source, limited);
        }

        var result = MessageCodec.Decode(datagram.Payload.Span, maxDatagramSize);
        if (DropReasonOf(result) is { } reason)
        {
            return Drop(source, reason);
        }

        if (Interlocked.Increment(ref _pending) > maxPending)
        {
            Interlocked.Decrement(ref _pending);
            return Drop(source, RendezvousDropReason.Overloaded);
        }

        return new InboundRequest(result, source, ReplyAddressOf(datagram.LocalEndPoint), datagram.Payload.Length);
    }

    /// <summary>The scheduler took one admitted request off the queue.</summary>
    public void Dequeued() => Interlocked.Decrement(ref _pending);

    /// <summary>Drops everything from now on (the server is stopping).</summary>
    public void Stop() => _stopped = true;

    /// <summary>Whether a request type is one the server answers.</summary>
    public static bool IsRequest(MessageKind kind) =>
        kind is MessageKind.RegisteringServer or MessageKind.RequestingToJoinServer;

    private static RendezvousDropReason? DropReasonOf(DecodeResult result)
    {
        if (result.IsSuccess)
        {
            return IsRequest(result.Message.Kind) ? null : RendezvousDropReason.NotARequest;
        }

        return result.Rejection.Reason switch
        {
            RejectionReason.Oversize => RendezvousDropReason.Oversize,
            RejectionReason.MalformedJson or RejectionReason.NotAnObject => RendezvousDropReason.Malformed,
            RejectionReason.MissingType => RendezvousDropReason.MissingType,
            RejectionReason.UnknownType => RendezvousDropReason.UnknownType,
            // A field problem: answered when the type is a request, otherwise it was not for us anyway.
            _ => IsRequest(result.Rejection.Kind) ? null : RendezvousDropReason.NotARequest,
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
