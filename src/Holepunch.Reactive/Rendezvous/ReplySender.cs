using System.Buffers;
using System.Net;
using Holepunch.Reactive.Protocol;
using Holepunch.Reactive.Transport;
using Microsoft.Extensions.Logging;

namespace Holepunch.Reactive.Rendezvous;

/// <summary>Encodes the server's replies into one reused buffer and sends them. Used only on the server's scheduler.</summary>
internal sealed class ReplySender(IDatagramTransport transport, RendezvousMetrics metrics, ILogger logger)
{
    private readonly ArrayBufferWriter<byte> _buffer = new(512);

    /// <summary>Sends <paramref name="message"/> to <paramref name="destination"/>.</summary>
    /// <param name="message">The reply.</param>
    /// <param name="destination">Where to send it.</param>
    /// <param name="from">The local address to send from (where the peer's request arrived); <see langword="null"/> for any.</param>
    public void Send(HolepunchMessage message, IPEndPoint destination, IPAddress? from)
    {
        _buffer.ResetWrittenCount();
        MessageCodec.Encode(message, _buffer);
        if (transport.Send(_buffer.WrittenSpan, destination, from))
        {
            metrics.Sent();
        }
        else
        {
            metrics.SendFailed();
            RendezvousLog.SendFailed(logger, message.Kind, destination);
        }
    }

    /// <summary>Sends a <c>server-error</c>.</summary>
    /// <param name="kind">Which error, for the metrics.</param>
    /// <param name="recipient">The <c>intended-recipient</c>: the requester's name, or empty when it was unreadable.</param>
    /// <param name="text">The error message.</param>
    /// <param name="destination">Where to send it.</param>
    /// <param name="from">The local address to send from.</param>
    public void SendError(ServerErrorKind kind, string recipient, string text, IPEndPoint destination, IPAddress? from)
    {
        Send(new ServerError(recipient, text), destination, from);
        metrics.ErrorSent(kind);
    }
}
