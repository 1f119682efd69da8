using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Holepunch.Reactive.Protocol;

namespace Holepunch.Reactive.Peers.Internal;

/// <summary>
/// The session keys of one peer pair: seals outgoing datagrams (AES-GCM, the 64-bit send counter as nonce, the names
/// and nonce as associated data) and opens incoming ones, rejecting a nonce seen before (a sliding anti-replay window).
/// Runs on the client's scheduler.
/// </summary>
internal sealed class PeerSeal : IDisposable
{
    /// <summary>How far behind the highest nonce a late datagram may arrive and still be accepted.</summary>
    public const int ReplayWindow = 1024;

    public const int TagSize = 16;
    private const int NonceSize = 12;
    private readonly AesGcm _send;
    private readonly AesGcm _receive;
    private readonly ReceiveWindow _seen = new(ReplayWindow);
    private readonly string _localName;
    private readonly string _peerName;
    private long _nextNonce;

    public PeerSeal(string localName, string peerName, ReadOnlySpan<byte> sendKey, ReadOnlySpan<byte> receiveKey)
    {
        _localName = localName;
        _peerName = peerName;
        _send = new AesGcm(sendKey, TagSize);
        _receive = new AesGcm(receiveKey, TagSize);
    }

    public string LocalName => _localName;

    public string PeerName => _peerName;

    /// <summary>Seals one encoded datagram for the peer.</summary>
    public SealedPeerDatagram Seal(ReadOnlySpan<byte> plaintext)
    {
        var nonce = _nextNonce++;
        var sealedBytes = new byte[plaintext.Length + TagSize];
        Span<byte> iv = stackalloc byte[NonceSize];
        WriteNonce(iv, nonce);
        _send.Encrypt(iv, plaintext, sealedBytes.AsSpan(0, plaintext.Length), sealedBytes.AsSpan(plaintext.Length), AssociatedData(_localName, _peerName, nonce));
        return new SealedPeerDatagram(_localName, _peerName, nonce, Base64UrlText.Encode(sealedBytes));
    }

    /// <summary>Opens a datagram from the peer; the reason it was refused when it cannot be (forged, tampered, replayed).</summary>
    public string? TryOpen(SealedPeerDatagram datagram, out byte[] plaintext)
    {
        plaintext = [];
        if (Base64UrlText.TryDecode(datagram.Ciphertext) is not { Length: >= TagSize } sealedBytes)
        {
            return "bad-sealed-datagram";
        }

        var length = sealedBytes.Length - TagSize;
        var opened = new byte[length];
        Span<byte> iv = stackalloc byte[NonceSize];
        WriteNonce(iv, datagram.Nonce);
        try
        {
            _receive.Decrypt(iv, sealedBytes.AsSpan(0, length), sealedBytes.AsSpan(length), opened, AssociatedData(_peerName, _localName, datagram.Nonce));
        }
        catch (AuthenticationTagMismatchException)
        {
            return "unauthentic-sealed-datagram";
        }

        // Only an authentic datagram moves the window, so forgeries cannot push genuine traffic out of it.
        if (!_seen.TryAccept(datagram.Nonce))
        {
            return "replayed-sealed-datagram";
        }

        plaintext = opened;
        return null;
    }

    public void Dispose()
    {
        _send.Dispose();
        _receive.Dispose();
    }

    private static void WriteNonce(Span<byte> iv, long nonce)
    {
        iv[..4].Clear();
        BinaryPrimitives.WriteInt64BigEndian(iv[4..], nonce);
    }

    private static byte[] AssociatedData(string sender, string recipient, long nonce) =>
        Encoding.UTF8.GetBytes($"{sender}|{recipient}|{nonce.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
}
