using System.Net;

namespace Holepunch.Reactive.Rendezvous;

/// <summary>One side of a relay: a peer's name and the endpoint the server recorded for it, which alone may use the relay as that name.</summary>
internal sealed class RelaySide(string name, IPEndPoint endPoint, IPAddress? serverAddress, ByteBucket sending)
{
    /// <summary>The peer's name (the host's room name, or the joiner's name).</summary>
    public string Name { get; } = name;

    /// <summary>The peer's public endpoint as the server saw it: where its relay datagrams must come from, and where the other side's go.</summary>
    public IPEndPoint EndPoint { get; } = endPoint;

    /// <summary>The server's local address this peer last used, to forward to it from; <see langword="null"/> for a wildcard.</summary>
    public IPAddress? ServerAddress { get; set; } = serverAddress;

    /// <summary>The bandwidth of what this side sends through the relay.</summary>
    public ByteBucket Sending { get; } = sending;
}
