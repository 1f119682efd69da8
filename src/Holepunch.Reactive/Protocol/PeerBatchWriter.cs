using System.Buffers;
using System.Buffers.Text;

namespace Holepunch.Reactive.Protocol;

/// <summary>
/// Builds <c>peer-batch</c> datagrams from one sender to one recipient without message objects: the envelope's start
/// is encoded once, then acknowledgements and already-encoded messages are appended while they fit a size limit. The
/// bytes are those <see cref="MessageCodec.Encode"/> writes for the equal <see cref="PeerBatch"/>.
/// </summary>
internal sealed class PeerBatchWriter
{
    private static ReadOnlySpan<byte> AcksStart => ",\"acks\":["u8;

    private static ReadOnlySpan<byte> MessagesStart => ",\"messages\":["u8;

    private readonly byte[] _prefix;
    private readonly byte[] _routingSuffix;
    private readonly ArrayBufferWriter<byte> _buffer = new(2048);

    public PeerBatchWriter(string sender, string recipient)
    {
        _prefix = MessageCodec.EncodePeerBatchPrefix(sender, recipient);

        // How our encoder ends every message a batch carries: its routing, which an entry takes from the batch instead.
        var typeLength = "{\"type\":\"peer-batch\""u8.Length;
        _routingSuffix = [.. _prefix.AsSpan(typeLength), (byte)'}'];
        Start();
    }

    public int AcknowledgementCount { get; private set; }

    public int MessageCount { get; private set; }

    public bool IsEmpty => AcknowledgementCount == 0 && MessageCount == 0;

    /// <summary>Starts a new, empty batch.</summary>
    public void Start()
    {
        _buffer.ResetWrittenCount();
        _buffer.Write(_prefix);
        AcknowledgementCount = 0;
        MessageCount = 0;
    }

    /// <summary>Adds an acknowledgement when the finished batch stays within <paramref name="limit"/> bytes; only before any message.</summary>
    public bool TryAddAcknowledgement(long id, int limit)
    {
        if (MessageCount > 0 || AcknowledgementCount >= PeerBatch.MaxAcknowledgements)
        {
            return false;
        }

        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(id, digits, out var length);
        var separator = AcknowledgementCount == 0 ? AcksStart.Length : 1;

        // Closed by "]}".
        if (_buffer.WrittenCount + separator + length + 2 > limit)
        {
            return false;
        }

        _buffer.Write(AcknowledgementCount == 0 ? AcksStart : ","u8);
        _buffer.Write(digits[..length]);
        AcknowledgementCount++;
        return true;
    }

    /// <summary>
    /// Adds one encoded peer message (without its routing when it is the batch's) when the finished batch stays within
    /// <paramref name="limit"/> bytes.
    /// </summary>
    public bool TryAddMessage(ReadOnlySpan<byte> message, int limit)
    {
        if (MessageCount >= PeerBatch.MaxMessages)
        {
            return false;
        }

        // Written as the message up to its routing, then "}".
        var routed = message.EndsWith(_routingSuffix);
        var body = routed ? message[..^_routingSuffix.Length] : message;
        var length = routed ? body.Length + 1 : body.Length;

        var separator = MessageCount > 0 ? 1 : MessagesStart.Length + (AcknowledgementCount > 0 ? 1 : 0);
        if (_buffer.WrittenCount + separator + length + 2 > limit)
        {
            return false;
        }

        if (MessageCount > 0)
        {
            _buffer.Write(","u8);
        }
        else
        {
            if (AcknowledgementCount > 0)
            {
                _buffer.Write("]"u8);
            }

            _buffer.Write(MessagesStart);
        }

        _buffer.Write(body);
        if (routed)
        {
            _buffer.Write("}"u8);
        }

        MessageCount++;
        return true;
    }

    /// <summary>Closes the batch and returns its bytes (valid until the next <see cref="Start"/>).</summary>
    public ReadOnlySpan<byte> Finish()
    {
        _buffer.Write(IsEmpty ? "}"u8 : "]}"u8);
        return _buffer.WrittenSpan;
    }
}
