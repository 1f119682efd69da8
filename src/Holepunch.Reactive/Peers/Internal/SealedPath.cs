using System.Buffers;
using System.Net;
using Holepunch.Reactive.Protocol;

namespace Holepunch.Reactive.Peers.Internal;

/// <summary>
/// A path to a peer with session keys: every datagram goes out inside a <see cref="SealedPeerDatagram"/> through
/// the path it wraps (direct or relayed).
/// </summary>
internal sealed class SealedPath(IPeerPath inner, PeerSeal seal) : IPeerPath
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);

    public IPeerPath Inner { get; } = inner;

    public IPEndPoint EndPoint => Inner.EndPoint;

    public PeerAddressKind Kind => Inner.Kind;

    public bool Send(ReadOnlySpan<byte> datagram)
    {
        var sealedBytes = seal.SealInPlace(datagram, out var nonce);
        _buffer.ResetWrittenCount();
        MessageCodec.EncodeSealedPeerDatagram(seal.LocalName, seal.PeerName, nonce, sealedBytes, _buffer);
        return Inner.Send(_buffer.WrittenSpan);
    }

    public override string ToString() => $"sealed {Inner}";
}
