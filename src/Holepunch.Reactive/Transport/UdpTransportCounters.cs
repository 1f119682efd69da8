namespace Holepunch.Reactive.Transport;

/// <summary>The transport's counters: updated from the receive loops and any sending thread, read as a snapshot.</summary>
internal sealed class UdpTransportCounters
{
    private long _datagramsReceived;
    private long _bytesReceived;
    private long _datagramsSent;
    private long _bytesSent;
    private long _sendFailures;
    private long _receiveErrors;
    private long _oversizeDatagrams;
    private long _sourceAddressFallbacks;
    private long _receiveCalls;
    private long _sendCalls;

    /// <summary>System calls that received (one datagram each, or a batch); internal, for tests of the batching.</summary>
    public long ReceiveCalls => Interlocked.Read(ref _receiveCalls);

    /// <summary>System calls that sent (one datagram each, or a batch); internal, for tests of the batching.</summary>
    public long SendCalls => Interlocked.Read(ref _sendCalls);

    public void Received(int bytes)
    {
        Interlocked.Increment(ref _datagramsReceived);
        Interlocked.Add(ref _bytesReceived, bytes);
    }

    public void Sent(int bytes)
    {
        Interlocked.Increment(ref _datagramsSent);
        Interlocked.Add(ref _bytesSent, bytes);
    }

    public void ReceiveCall() => Interlocked.Increment(ref _receiveCalls);

    public void SendCall() => Interlocked.Increment(ref _sendCalls);

    public void SendFailed() => Interlocked.Increment(ref _sendFailures);

    public void ReceiveFailed() => Interlocked.Increment(ref _receiveErrors);

    public void Oversize() => Interlocked.Increment(ref _oversizeDatagrams);

    public void SourceAddressFellBack() => Interlocked.Increment(ref _sourceAddressFallbacks);

    public UdpTransportStatistics Snapshot() => new(
        Interlocked.Read(ref _datagramsReceived),
        Interlocked.Read(ref _bytesReceived),
        Interlocked.Read(ref _datagramsSent),
        Interlocked.Read(ref _bytesSent),
        Interlocked.Read(ref _sendFailures),
        Interlocked.Read(ref _receiveErrors),
        Interlocked.Read(ref _oversizeDatagrams),
        Interlocked.Read(ref _sourceAddressFallbacks));
}
