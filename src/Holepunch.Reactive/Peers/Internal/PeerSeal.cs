using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Holepunch.Reactive.Protocol;

namespace Holepunch.Reactive.Peers.Internal;

/// <summary>
/// The session keys of one peer pair: seals outgoing datagrams (AES-GCM, the 64-bit send counter as nonce, the names
/// and nonce as associated data) and opens incoming ones, rejecting a nonce seen before (a sliding anti-replay window).
/// Runs on the client's scheduler; sealing and opening reuse one buffer each, so neither allocates per datagram.
/// </summary>
internal sealed class PeerSeal : IDisposable
{
    /// <summary>How far behind the highest nonce a late datagram may arrive and still be accepted.</summary>
    public const int ReplayWindow = 1024;

    /// <summary>The AES-GCM tag each sealed datagram carries after its ciphertext.</summary>
    public const int TagSize = AesGcmCipher.TagSize;
    private const int NonceSize = AesGcmCipher.NonceSize;

    /// <summary>The most digits of a 64-bit nonce in the associated data (a minus sign and 19 digits).</summary>
    private const int MaxNonceDigits = 20;

    private readonly AesGcmCipher _send;
    private readonly AesGcmCipher _receive;
    private readonly ReceiveWindow _seen = new(ReplayWindow);
    private readonly byte[] _sendPrefix;
    private readonly byte[] _receivePrefix;
    private byte[] _sealed = new byte[1024];
    private byte[] _opened = new byte[1024];
    private byte[] _received = new byte[1024];
    private long _nextNonce;

    /// <summary>The pair's seal; <paramref name="direct"/> false keeps AES-GCM on .NET's path (tests compare the two).</summary>
    public PeerSeal(string localName, string peerName, ReadOnlySpan<byte> sendKey, ReadOnlySpan<byte> receiveKey, bool direct = true)
    {
        LocalName = localName;
        PeerName = peerName;
        _send = AesGcmCipher.Create(sendKey, direct);
        try
        {
            _receive = AesGcmCipher.Create(receiveKey, direct);
        }
        catch
        {
            _send.Dispose();
            throw;
        }

        _sendPrefix = Encoding.UTF8.GetBytes(localName + "|" + peerName + "|");
        _receivePrefix = Encoding.UTF8.GetBytes(peerName + "|" + localName + "|");
    }

    /// <summary>This side's name: the sender of what is sealed here.</summary>
    public string LocalName { get; }

    /// <summary>The peer's name: the recipient of what is sealed here.</summary>
    public string PeerName { get; }

    /// <summary>Seals one encoded datagram for the peer.</summary>
    public SealedPeerDatagram Seal(ReadOnlySpan<byte> plaintext)
    {
        var sealedBytes = SealInPlace(plaintext, out var nonce);
        return new SealedPeerDatagram(LocalName, PeerName, nonce, Base64UrlText.Encode(sealedBytes));
    }

    /// <summary>
    /// Seals one encoded datagram for the peer into this seal's buffer: the ciphertext and its tag, valid until the next
    /// call; <paramref name="nonce"/> is the nonce it was sealed under.
    /// </summary>
    public ReadOnlySpan<byte> SealInPlace(ReadOnlySpan<byte> plaintext, out long nonce)
    {
        nonce = _nextNonce++;
        var length = plaintext.Length + TagSize;
        if (_sealed.Length < length)
        {
            _sealed = new byte[Math.Max(length, _sealed.Length * 2)];
        }

        var output = _sealed.AsSpan(0, length);
        Span<byte> iv = stackalloc byte[NonceSize];
        WriteNonce(iv, nonce);
        Span<byte> associated = stackalloc byte[_sendPrefix.Length + MaxNonceDigits];
        _send.Encrypt(iv, plaintext, output[..plaintext.Length], output[plaintext.Length..], AssociatedData(_sendPrefix, nonce, associated));
        return output;
    }

    /// <summary>
    /// Opens a datagram from the peer into this seal's buffer (valid until the next call); the reason it was refused
    /// when it cannot be (forged, tampered, replayed).
    /// </summary>
    public string? TryOpen(SealedPeerDatagram datagram, out ReadOnlySpan<byte> plaintext)
    {
        plaintext = default;
        // Decoded into a reused buffer: the sealed bytes are opened at once.
        if (!Base64UrlText.TryDecode(datagram.Ciphertext, ref _received, out var sealedLength))
        {
            return "bad-sealed-datagram";
        }

        return TryOpen(datagram.Nonce, _received.AsSpan(0, sealedLength), out plaintext);
    }

    /// <summary>Opens the sealed bytes (ciphertext and tag) of a datagram sealed under <paramref name="nonce"/>, as above.</summary>
    public string? TryOpen(long nonce, ReadOnlySpan<byte> sealedBytes, out ReadOnlySpan<byte> plaintext)
    {
        plaintext = default;
        if (sealedBytes.Length < TagSize)
        {
            return "bad-sealed-datagram";
        }

        var length = sealedBytes.Length - TagSize;
        if (_opened.Length < length)
        {
            _opened = new byte[Math.Max(length, _opened.Length * 2)];
        }

        var opened = _opened.AsSpan(0, length);
        Span<byte> iv = stackalloc byte[NonceSize];
        WriteNonce(iv, nonce);
        Span<byte> associated = stackalloc byte[_receivePrefix.Length + MaxNonceDigits];
        if (!_receive.TryDecrypt(iv, sealedBytes[..length], sealedBytes[length..], opened, AssociatedData(_receivePrefix, nonce, associated)))
        {
            return "unauthentic-sealed-datagram";
        }

        // Only an authentic datagram moves the window, so forgeries cannot push genuine traffic out of it.
        if (!_seen.TryAccept(nonce))
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

    /// <summary>"sender|recipient|nonce" in UTF-8 (the nonce in invariant decimal digits), written into <paramref name="buffer"/>.</summary>
    private static ReadOnlySpan<byte> AssociatedData(byte[] prefix, long nonce, Span<byte> buffer)
    {
        prefix.CopyTo(buffer);
        nonce.TryFormat(buffer[prefix.Length..], out var digits, default, System.Globalization.CultureInfo.InvariantCulture);
        return buffer[..(prefix.Length + digits)];
    }
}
