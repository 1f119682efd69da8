using System.Net;
using System.Reactive.Subjects;
using Holepunch.Reactive.Transport;

namespace Holepunch.Reactive.Benchmarks.Load;

/// <summary>An in-memory <see cref="IDatagramTransport"/>: the harness injects datagrams; what is sent is only counted.</summary>
internal sealed class MemoryTransport : IDatagramTransport
{
    private readonly Subject<Datagram> _received = new();
    private long _sent;

    public IPEndPoint LocalEndPoint { get; } = new(IPAddress.Loopback, 5160);

    public IObservable<Datagram> Received => _received;

    public long Sent => Interlocked.Read(ref _sent);

    public void Inject(Datagram datagram) => _received.OnNext(datagram);

    public bool Send(ReadOnlySpan<byte> payload, IPEndPoint remoteEndPoint, IPAddress? localAddress = null)
    {
        Interlocked.Increment(ref _sent);
        return true;
    }

    public void Dispose() => _received.OnCompleted();
}
