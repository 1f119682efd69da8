using System.Net;
using System.Text.Json;
using Holepunch.Reactive.Protocol;

namespace Holepunch.Reactive.Peers.Internal;

/// <summary>
/// Through the rendezvous server's relay: each datagram travels inside a <c>relay-datagram</c> to the server, which
/// forwards it to the peer because both sides hold the token it issued for the pair.
/// </summary>
internal sealed class RelayPath(ClientCore core, string token, string peerName) : IPeerPath
{
    private int _envelopeSize;

    public string Token { get; } = token;

    public IPEndPoint EndPoint => core.RendezvousEndPoint;

    public PeerAddressKind Kind => PeerAddressKind.Relay;

    public bool Send(ReadOnlySpan<byte> datagram)
    {
        using var payload = JsonDocument.Parse(datagram.ToArray());
        return core.Send(new RelayDatagram(core.Name, "", Token, payload.RootElement), core.RendezvousEndPoint);
    }

    public int PayloadLimit(int wireLimit)
    {
        if (_envelopeSize == 0)
        {
            // The payload is written as is: the envelope costs what it does around an empty object.
            using var empty = JsonDocument.Parse("{}");
            _envelopeSize = MessageCodec.EncodeToArray(new RelayDatagram(core.Name, "", Token, empty.RootElement)).Length - 2;
        }

        return wireLimit - _envelopeSize;
    }

    public override string ToString() => $"relay to {peerName} via {EndPoint}";
}
