namespace Holepunch.Reactive.Protocol;

/// <summary>
/// <c>sealed-peer-datagram</c> (extension): one peer datagram encrypted and authenticated with AES-GCM under the key
/// the two peers agreed from the <c>peer-key</c> values the server passed between them. Only exchanged when both
/// sides announced a key; a Godot peer never sees one.
/// </summary>
/// <param name="Sender">The sending peer.</param>
/// <param name="IntendedRecipient">The receiving peer.</param>
/// <param name="Nonce">The sender's send counter for this direction: it makes the AES-GCM nonce, and the receiver rejects a repeat.</param>
/// <param name="Ciphertext">The inner datagram's bytes, encrypted, followed by the 16-byte tag, as base64url without padding.</param>
public sealed record SealedPeerDatagram(string Sender, string IntendedRecipient, long Nonce, string Ciphertext)
    : PeerOriginatedMessage(Sender, IntendedRecipient)
{
    /// <inheritdoc/>
    public override MessageKind Kind => MessageKind.SealedPeerDatagram;
}
