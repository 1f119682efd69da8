using System.Net;
using System.Text;
using Holepunch.Reactive.Transport;

namespace Holepunch.Reactive.Tests.Peers;

/// <summary>A transport that records the text of every datagram it sends, then passes it on.</summary>
internal sealed class SniffingTransport(IDatagramTransport inner) : IDatagramTransport
{
    public List<(string Text, IPEndPoint To)> Sent { get; } = [];

    public IPEndPoint LocalEndPoint => inner.LocalEndPoint;

    public IObservable<Datagram> Received => inner.Received;

    public bool Send(ReadOnlySpan<byte> payload, IPEndPoint remoteEndPoint, IPAddress? localAddress = null)
    {
        Sent.Add((Encoding.UTF8.GetString(payload), remoteEndPoint));
        return inner.Send(payload, remoteEndPoint, localAddress);
    }

    public void Dispose() => inner.Dispose();
}
