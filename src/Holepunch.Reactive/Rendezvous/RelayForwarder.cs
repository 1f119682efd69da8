using System.Buffers;
using System.Net;
using System.Reactive.Concurrency;
using Holepunch.Reactive.Protocol;
using Holepunch.Reactive.Transport;
using Microsoft.Extensions.Logging;

namespace Holepunch.Reactive.Rendezvous;

/// <summary>
/// Forwards one <c>relay-datagram</c> to the other side of its relay, or refuses it. Used only on the server's scheduler,
/// while the datagram is handled.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>Relay datagram</term><description>Outcome</description></listheader>
/// <item><term>token of no relay</term><description><c>relay-refused</c> <c>unknown relay</c> (<see cref="RelayRefusalReason.UnknownRelay"/>).</description></item>
/// <item><term>token of a closed relay</term><description><c>relay-refused</c> <c>relay expired</c>.</description></item>
/// <item><term>sender not a side, or not from that side's recorded endpoint</term><description><c>relay-refused</c> <c>unknown relay</c> (<see cref="RelayRefusalReason.WrongSource"/>); the relay is untouched.</description></item>
/// <item><term>from a side, over its bandwidth</term><description>Dropped; <c>relay-refused</c> <c>relay bandwidth exceeded</c>; the idle timer restarts.</description></item>
/// <item><term>from a side, within its bandwidth</term><description>Forwarded to the other side's recorded endpoint, from the server address that side last used, with <c>intended-recipient</c> set to its name and the payload byte for byte; the idle timer restarts.</description></item>
/// </list>
/// Every <c>relay-refused</c> goes to the datagram's source, at most once per <see cref="RelayOptions.RefusalInterval"/>
/// per source and within the <see cref="AmplificationGuard"/>'s budget. It is never a <c>server-error</c>, which would end
/// the client's session.
/// </remarks>
internal sealed class RelayForwarder(
    RelayTable table,
    IDatagramTransport transport,
    ReplySender replies,
    RefusalPacer pacer,
    RelayMetrics metrics,
    RendezvousMetrics serverMetrics,
    IScheduler scheduler,
    ILogger logger)
{
    /// <summary>How much larger than the datagram read a forwarded datagram may be (the recipient's name is filled in).</summary>
    internal const int EnvelopeAllowance = 256;

    private readonly ArrayBufferWriter<byte> _buffer = new(1024);

    /// <summary>Handles one relay datagram.</summary>
    /// <param name="datagram">The datagram.</param>
    /// <param name="source">Where it came from.</param>
    /// <param name="arrivedAt">The server's local address it arrived at; <see langword="null"/> for a wildcard.</param>
    public void Forward(RelayDatagram datagram, IPEndPoint source, IPAddress? arrivedAt)
    {
        if (table.Find(datagram.RelayToken, out var pair) is { } missing)
        {
            Refuse(missing, datagram, source, arrivedAt);
            return;
        }

        if (pair!.SideOf(datagram.Sender, source) is not { } side)
        {
            Refuse(RelayRefusalReason.WrongSource, datagram, source, arrivedAt);
            return;
        }

        table.Touch(pair);
        side.ServerAddress = arrivedAt;
        var other = pair.Other(side);
        _buffer.ResetWrittenCount();
        MessageCodec.Encode(datagram with { IntendedRecipient = other.Name }, _buffer);
        if (!side.Sending.TryTake(_buffer.WrittenCount, scheduler.Now))
        {
            Refuse(RelayRefusalReason.BandwidthExceeded, datagram, source, arrivedAt);
            return;
        }

        if (transport.Send(_buffer.WrittenSpan, other.EndPoint, other.ServerAddress))
        {
            serverMetrics.Sent();
            metrics.Relayed(_buffer.WrittenCount);
        }
        else
        {
            serverMetrics.SendFailed();
            RendezvousLog.SendFailed(logger, MessageKind.RelayDatagram, other.EndPoint);
        }
    }

    private void Refuse(RelayRefusalReason reason, RelayDatagram datagram, IPEndPoint source, IPAddress? arrivedAt)
    {
        metrics.Refused(reason);
        RelayLog.Refused(logger, datagram.Sender, source, reason);
        if (pacer.TryAcquire(source)
            && replies.Reply(new RelayRefused(datagram.Sender, datagram.RelayToken, RelayRefusals.TextOf(reason)), source, arrivedAt))
        {
            metrics.RefusalSent();
        }
    }
}
