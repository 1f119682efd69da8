using System.Net;
using Holepunch.Reactive.Protocol;

namespace Holepunch.Reactive.Peers.Internal;

/// <summary>
/// Through the rendezvous server's relay: each datagram travels inside a <c>relay-datagram</c> to the server, which
/// forwards it to the peer because both sides hold the token it issued for the pair.
/// </summary>
internal sealed class RelayPath(ClientCore core, string token, string peerName) : IPeerPath
{
    // Its own buffer: the datagram to carry may be in the client's shared encode buffer.
    private readonly System.Buffers.ArrayBufferWriter<byte> _buffer = new(512);
    private int _envelopeSize;

    public string Token { get; } = token;

    public IPEndPoint EndPoint => core.RendezvousEndPoint;

    public PeerAddressKind Kind => PeerAddressKind.Relay;

    /// <summary>Sends <paramref name="datagram"/> (encoded by this library, so a JSON object) as the payload of a relay datagram, written as is.</summary>
    public bool Send(ReadOnlySpan<byte> datagram)
    {
        _buffer.ResetWrittenCount();
        MessageCodec.EncodeRelayDatagram(core.Name, "", Token, datagram, _buffer);
        return core.SendEncoded(_buffer.WrittenSpan, core.RendezvousEndPoint);
    }

    public int PayloadLimit(int wireLimit)
    {
        if (_envelopeSize == 0)
        {
            // The payload is written as is: the envelope costs what it does around an empty object.
            _buffer.ResetWrittenCount();
            MessageCodec.EncodeRelayDatagram(core.Name, "", Token, "{}"u8, _buffer);
            _envelopeSize = _buffer.WrittenCount - 2;
        }

        return wireLimit - _envelopeSize;
    }

    public override string ToString() => $"relay to {peerName} via {EndPoint}";
}
