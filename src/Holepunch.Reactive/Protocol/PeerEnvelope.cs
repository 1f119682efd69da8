using System.Buffers;
using System.Text.Json;

namespace Holepunch.Reactive.Protocol;

/// <summary>
/// A plain <c>unreliable-peer-message</c> or a <c>sealed-peer-datagram</c> as the client's receive path takes it (see
/// <see cref="MessageCodec.DecodeLean"/>): the fields, without a message object, and a sealed datagram's bytes decoded
/// from base64url into an array rented from <see cref="ArrayPool{T}.Shared"/> rather than kept as a string.
/// </summary>
/// <remarks>Whoever holds an envelope calls <see cref="Release"/> once, when done with <see cref="SealedBytes"/>.</remarks>
internal readonly struct PeerEnvelope
{
    private readonly byte[]? _sealed;
    private readonly int _sealedLength;

    private PeerEnvelope(MessageKind kind, string sender, string recipient, JsonElement message, long nonce, byte[]? sealedBytes, int sealedLength)
    {
        Kind = kind;
        Sender = sender;
        Recipient = recipient;
        Message = message;
        Nonce = nonce;
        _sealed = sealedBytes;
        _sealedLength = sealedLength;
    }

    /// <summary><see cref="MessageKind.UnreliablePeerMessage"/> or <see cref="MessageKind.SealedPeerDatagram"/>; <see cref="MessageKind.Unknown"/> for none.</summary>
    public MessageKind Kind { get; }

    public string Sender { get; }

    public string Recipient { get; }

    /// <summary>An unreliable message's value.</summary>
    public JsonElement Message { get; }

    /// <summary>A sealed datagram's nonce.</summary>
    public long Nonce { get; }

    /// <summary>A sealed datagram's ciphertext and tag, valid until <see cref="Release"/>.</summary>
    public ReadOnlySpan<byte> SealedBytes => _sealed.AsSpan(0, _sealedLength);

    public static PeerEnvelope Unreliable(string sender, string recipient, JsonElement message) =>
        new(MessageKind.UnreliablePeerMessage, sender, recipient, message, 0, null, 0);

    public static PeerEnvelope Sealed(string sender, string recipient, long nonce, byte[] rented, int length) =>
        new(MessageKind.SealedPeerDatagram, sender, recipient, default, nonce, rented, length);

    /// <summary>The message object the envelope stands for (for whoever needs one: an event, a datagram held for later).</summary>
    public PeerOriginatedMessage ToMessage() => Kind == MessageKind.UnreliablePeerMessage
        ? new UnreliablePeerMessage(Sender, Recipient, Message)
        : new SealedPeerDatagram(Sender, Recipient, Nonce, Base64UrlText.Encode(SealedBytes));

    /// <summary>Returns the rented array of a sealed datagram's bytes.</summary>
    public void Release()
    {
        if (_sealed is not null)
        {
            ArrayPool<byte>.Shared.Return(_sealed);
        }
    }
}
