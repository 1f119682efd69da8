using System.Net;
using Holepunch.Reactive.Transport;

namespace Holepunch.Reactive.Peers.Internal;

/// <summary>Straight UDP to the address the punch confirmed.</summary>
internal sealed class DirectPath(IDatagramTransport transport, IPEndPoint endPoint, PeerAddressKind kind) : IPeerPath
{
    public IPEndPoint EndPoint { get; } = endPoint;

    public PeerAddressKind Kind { get; } = kind;

    public bool Send(ReadOnlySpan<byte> datagram) => transport.Send(datagram, EndPoint);

    public int PayloadLimit(int wireLimit) => wireLimit;
}
