using System.Net;

namespace Holepunch.Reactive.Tests.Network;

/// <summary>A datagram as a test saw it: when it arrived, its payload (copied) and its endpoints.</summary>
internal sealed record LoggedDatagram(long Ticks, byte[] Payload, IPEndPoint RemoteEndPoint, IPEndPoint LocalEndPoint)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Payload);
}
