using System.Text.Json;

namespace Holepunch.Reactive.Protocol;

/// <summary>
/// <c>relay-datagram</c> (extension): one protocol message carried through the rendezvous server when the two peers
/// cannot reach each other directly. A peer sends it to the server with an empty <see cref="HolepunchMessage.IntendedRecipient"/>;
/// the server forwards it to the other side of the relay with <see cref="HolepunchMessage.IntendedRecipient"/> set to that
/// side's name and the same <see cref="Payload"/>.
/// </summary>
/// <param name="Sender">The sending peer: one of the relay's two names.</param>
/// <param name="IntendedRecipient">Empty towards the server; the receiving peer's name when forwarded by the server.</param>
/// <param name="RelayToken">The relay's token, from <see cref="ProvidingPeerHandshakeInfo.RelayToken"/>.</param>
/// <param name="Payload">One complete inner protocol message (a JSON object), exactly as it would be sent directly.</param>
public sealed record RelayDatagram(string Sender, string IntendedRecipient, string RelayToken, JsonElement Payload)
    : PeerOriginatedMessage(Sender, IntendedRecipient)
{
    /// <inheritdoc/>
    public override MessageKind Kind => MessageKind.RelayDatagram;
}
