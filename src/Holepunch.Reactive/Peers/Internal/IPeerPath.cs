using System.Net;

namespace Holepunch.Reactive.Peers.Internal;

/// <summary>
/// How datagrams reach one confirmed peer. The messaging layer (checks, reliable and unreliable messages) only
/// ever sends through a path, so a relayed path can replace the direct one without touching it.
/// </summary>
internal interface IPeerPath
{
    /// <summary>Where the peer's datagrams are sent.</summary>
    IPEndPoint EndPoint { get; }

    /// <summary>Which of the peer's addresses this path uses.</summary>
    PeerAddressKind Kind { get; }

    /// <summary>Sends one encoded datagram to the peer.</summary>
    bool Send(ReadOnlySpan<byte> datagram);

    /// <summary>
    /// The largest datagram to hand to <see cref="Send"/> so that what goes on the wire (sealed, relayed) stays within
    /// <paramref name="wireLimit"/> bytes.
    /// </summary>
    int PayloadLimit(int wireLimit);
}
