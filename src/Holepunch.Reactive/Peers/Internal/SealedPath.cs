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
    private int _limitFor = -1;
    private int _limit;

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

    public int PayloadLimit(int wireLimit)
    {
        if (wireLimit != _limitFor)
        {
            // The ciphertext (plaintext and tag) travels as unpadded base64url, 4 characters for 3 bytes, in an envelope
            // that costs what it does around an empty ciphertext with the longest nonce.
            var envelope = MessageCodec.EncodeToArray(new SealedPeerDatagram(seal.LocalName, seal.PeerName, long.MaxValue, "")).Length;
            (_limitFor, _limit) = (wireLimit, ((Inner.PayloadLimit(wireLimit) - envelope) * 3 / 4) - PeerSeal.TagSize);
        }

        return _limit;
    }

    public override string ToString() => $"sealed {Inner}";
}
