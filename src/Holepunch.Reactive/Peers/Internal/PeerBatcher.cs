using System.Buffers;
using Holepunch.Reactive.Protocol;

namespace Holepunch.Reactive.Peers.Internal;

/// <summary>
/// What one turn of the client's loop sends to one peer that takes batches (<see cref="ProtocolCapabilities.Batch"/>):
/// encoded messages and acknowledgements are held until the end of the turn (<see cref="ClientCore.QueueFlush"/>), then
/// leave together in <c>peer-batch</c> datagrams within <see cref="HolepunchClientOptions.MaxBatchDatagramSize"/> on
/// the wire. A message that travels alone (the only one of its turn, or too large for a batch) goes as it is: the
/// datagram a peer without batches would get. Runs on the client's scheduler.
/// </summary>
/// <remarks>
/// Acknowledgements go first, then messages in the order they were queued, so order is kept; a batch splits into as
/// many datagrams as it takes. Everything held goes through one path: a send through another path (the peer's path
/// changed) first flushes what was held.
/// </remarks>
internal sealed class PeerBatcher(ClientCore core, string peerName)
{
    private readonly PeerBatchWriter _writer = new(core.Name, peerName);
    private readonly ArrayBufferWriter<byte> _messages = new(2048);
    private readonly List<(int Start, int Length)> _entries = [];
    private readonly List<long> _acknowledgements = [];
    private IPeerPath? _path;
    private bool _queued;

    /// <summary>Holds one encoded peer message for this turn's batch.</summary>
    public void Add(ReadOnlySpan<byte> datagram, IPeerPath path)
    {
        Hold(path);
        _entries.Add((_messages.WrittenCount, datagram.Length));
        _messages.Write(datagram);
    }

    /// <summary>Holds the acknowledgement of one reliable message for this turn's batch.</summary>
    public void Acknowledge(long id, IPeerPath path)
    {
        Hold(path);
        _acknowledgements.Add(id);
    }

    /// <summary>Sends what this turn held. Runs at the end of the turn.</summary>
    public void Flush()
    {
        _queued = false;
        var path = _path;
        if (path is null || core.IsTerminated)
        {
            Clear();
            return;
        }

        if (_entries.Count == 1 && _acknowledgements.Count == 0)
        {
            Send(path, Entry(0));
            Clear();
            return;
        }

        var limit = path.PayloadLimit(core.Options.MaxBatchDatagramSize);
        int acknowledgement = 0, entry = 0;
        while (acknowledgement < _acknowledgements.Count || entry < _entries.Count)
        {
            _writer.Start();
            while (acknowledgement < _acknowledgements.Count && _writer.TryAddAcknowledgement(_acknowledgements[acknowledgement], limit))
            {
                acknowledgement++;
            }

            var firstEntry = entry;
            while (entry < _entries.Count && _writer.TryAddMessage(Entry(entry), limit))
            {
                entry++;
            }

            if (_writer.IsEmpty)
            {
                if (entry < _entries.Count)
                {
                    // One message larger than a batch: it travels alone, as it is.
                    Send(path, Entry(entry++));
                    continue;
                }

                // Names so long that not even one acknowledgement fits: send it over the limit rather than never.
                _writer.TryAddAcknowledgement(_acknowledgements[acknowledgement++], int.MaxValue);
            }

            if (_writer.AcknowledgementCount == 0 && _writer.MessageCount == 1)
            {
                Send(path, Entry(firstEntry));
            }
            else
            {
                Send(path, _writer.Finish());
            }
        }

        Clear();
    }

    /// <summary>Forgets what was held (the peer is gone).</summary>
    public void Clear()
    {
        _path = null;
        _entries.Clear();
        _acknowledgements.Clear();
        _messages.ResetWrittenCount();
    }

    private void Hold(IPeerPath path)
    {
        if (_path is not null && _path != path)
        {
            Flush();
        }

        _path = path;
        if (!_queued)
        {
            _queued = true;
            core.QueueFlush(this);
        }
    }

    private ReadOnlySpan<byte> Entry(int index)
    {
        var (start, length) = _entries[index];
        return _messages.WrittenSpan.Slice(start, length);
    }

    private void Send(IPeerPath path, ReadOnlySpan<byte> datagram)
    {
        core.CountSent();
        path.Send(datagram);
    }
}
