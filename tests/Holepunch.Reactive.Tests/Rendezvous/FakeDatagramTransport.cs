using System.Net;
using System.Reactive.Subjects;
using System.Text;
using Holepunch.Reactive.Transport;

namespace Holepunch.Reactive.Tests.Rendezvous;

/// <summary>
/// A test-only <see cref="IDatagramTransport"/>: the test pushes datagrams in and reads what was sent. Each pushed
/// payload is overwritten as soon as <c>OnNext</c> returns, as a real transport reuses its receive buffer.
/// </summary>
internal sealed class FakeDatagramTransport : IDatagramTransport
{
    private readonly Subject<Datagram> _received = new();

    public IPEndPoint LocalEndPoint { get; } = new(IPAddress.Any, 5160);

    public IObservable<Datagram> Received => _received;

    public List<SentDatagram> Sent { get; } = [];

    /// <summary>What the next <see cref="Send"/> returns.</summary>
    public bool SendSucceeds { get; set; } = true;

    public bool Send(ReadOnlySpan<byte> payload, IPEndPoint remoteEndPoint, IPAddress? localAddress = null)
    {
        Sent.Add(new SentDatagram(Encoding.UTF8.GetString(payload), remoteEndPoint, localAddress));
        return SendSucceeds;
    }

    public void Push(string json, IPEndPoint from, IPEndPoint to) => Push(Encoding.UTF8.GetBytes(json), from, to);

    public void Push(byte[] payload, IPEndPoint from, IPEndPoint to)
    {
        var buffer = (byte[])payload.Clone();
        _received.OnNext(new Datagram(buffer, from, to));
        Array.Fill(buffer, (byte)'#');
    }

    public void Fail(Exception error) => _received.OnError(error);

    public void Complete() => _received.OnCompleted();

    public void Dispose() => _received.Dispose();
}
