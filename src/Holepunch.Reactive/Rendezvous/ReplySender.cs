using System.Buffers;
using System.Net;
using Holepunch.Reactive.Protocol;
using Holepunch.Reactive.Transport;
using Microsoft.Extensions.Logging;

namespace Holepunch.Reactive.Rendezvous;

/// <summary>
/// Encodes the server's replies into reused buffers, pays for them with the <see cref="AmplificationGuard"/> and sends
/// them. A reply the guard refuses is not sent and is counted as <see cref="RendezvousDropReason.AmplificationLimit"/>.
/// Used only on the server's scheduler, while a request is handled.
/// </summary>
internal sealed class ReplySender(IDatagramTransport transport, AmplificationGuard guard, RendezvousMetrics metrics, ILogger logger)
{
    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly ArrayBufferWriter<byte> _second = new(512);

    /// <summary>Sends <paramref name="message"/> to the current request's source, <paramref name="destination"/>.</summary>
    /// <param name="message">The reply.</param>
    /// <param name="destination">Where to send it: the request's source.</param>
    /// <param name="from">The local address to send from (where the peer's request arrived); <see langword="null"/> for any.</param>
    /// <returns>Whether the reply was within the amplification limit (it may still fail to send; that is counted).</returns>
    public bool Reply(HolepunchMessage message, IPEndPoint destination, IPAddress? from)
    {
        Encode(message, _buffer);
        if (!guard.TryPayReply(_buffer.WrittenCount))
        {
            Refuse(destination);
            return false;
        }

        Transmit(_buffer, message.Kind, destination, from);
        return true;
    }

    /// <summary>Sends a <c>server-error</c> to the current request's source.</summary>
    /// <param name="kind">Which error, for the metrics.</param>
    /// <param name="error">The error.</param>
    /// <param name="destination">Where to send it.</param>
    /// <param name="from">The local address to send from.</param>
    public void ReplyError(ServerErrorKind kind, ServerError error, IPEndPoint destination, IPAddress? from)
    {
        if (Reply(error, destination, from))
        {
            metrics.ErrorSent(kind);
        }
    }

    /// <summary>Sends a <c>server-error</c> to the current request's source.</summary>
    /// <param name="kind">Which error, for the metrics.</param>
    /// <param name="recipient">The <c>intended-recipient</c>: the requester's name, or empty when it was unreadable.</param>
    /// <param name="text">The error message.</param>
    /// <param name="destination">Where to send it.</param>
    /// <param name="from">The local address to send from.</param>
    public void ReplyError(ServerErrorKind kind, string recipient, string text, IPEndPoint destination, IPAddress? from) =>
        ReplyError(kind, new ServerError(recipient, text), destination, from);

    /// <summary>Sends a join's two introductions, both or neither (see <see cref="AmplificationGuard.TryPayJoin"/>).</summary>
    /// <param name="toHost">The introduction of the joiner, for the host.</param>
    /// <param name="host">The host's address.</param>
    /// <param name="hostFrom">The local address the host registered at.</param>
    /// <param name="toJoiner">The introduction of the host, for the joiner (the current request's source).</param>
    /// <param name="joiner">The joiner's address.</param>
    /// <param name="joinerFrom">The local address the join arrived at.</param>
    /// <returns>Whether they were within the amplification limit.</returns>
    public bool SendIntroductions(
        ProvidingPeerHandshakeInfo toHost, IPEndPoint host, IPAddress? hostFrom, ProvidingPeerHandshakeInfo toJoiner, IPEndPoint joiner, IPAddress? joinerFrom)
    {
        Encode(toHost, _buffer);
        Encode(toJoiner, _second);
        if (!guard.TryPayJoin(host, _buffer.WrittenCount, _second.WrittenCount))
        {
            Refuse(joiner);
            return false;
        }

        // To the host, from the address the host registered with: the Godot client only listens to that one.
        Transmit(_buffer, toHost.Kind, host, hostFrom);
        Transmit(_second, toJoiner.Kind, joiner, joinerFrom);
        return true;
    }

    private static void Encode(HolepunchMessage message, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        MessageCodec.Encode(message, buffer);
    }

    private void Transmit(ArrayBufferWriter<byte> buffer, MessageKind kind, IPEndPoint destination, IPAddress? from)
    {
        if (transport.Send(buffer.WrittenSpan, destination, from))
        {
            metrics.Sent();
        }
        else
        {
            metrics.SendFailed();
            RendezvousLog.SendFailed(logger, kind, destination);
        }
    }

    private void Refuse(IPEndPoint requester)
    {
        metrics.Dropped(RendezvousDropReason.AmplificationLimit);
        RendezvousLog.Dropped(logger, requester, RendezvousDropReason.AmplificationLimit);
    }
}
