using System.Security.Cryptography;

namespace Holepunch.Reactive.Peers.Internal;

/// <summary>
/// AES-256-GCM under one key with 12-byte nonces and 16-byte tags, for sealing one direction of a peer pair: straight
/// through OpenSSL where <see cref="OpenSslAesGcm.IsAvailable"/>, else .NET's <see cref="AesGcm"/>. Both produce the same
/// bytes. Not safe for concurrent use (a <see cref="PeerSeal"/> runs on the client's loop).
/// </summary>
internal abstract class AesGcmCipher : IDisposable
{
    /// <summary>The key length: AES-256.</summary>
    public const int KeySize = 32;

    /// <summary>The nonce length.</summary>
    public const int NonceSize = 12;

    /// <summary>The tag length.</summary>
    public const int TagSize = 16;

    /// <summary>A cipher under <paramref name="key"/>, through OpenSSL directly where it can (<paramref name="direct"/>).</summary>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not <see cref="KeySize"/> bytes (on either path).</exception>
    public static AesGcmCipher Create(ReadOnlySpan<byte> key, bool direct = true)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"An AES-256 key is {KeySize} bytes.", nameof(key));
        }

        return direct && OpenSslAesGcm.IsAvailable ? new OpenSslAesGcm.Cipher(key) : new DotNetCipher(key);
    }

    /// <summary>Encrypts <paramref name="plaintext"/> into <paramref name="ciphertext"/> (the same length) and its <paramref name="tag"/>.</summary>
    public abstract void Encrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> associatedData);

    /// <summary>
    /// Decrypts <paramref name="ciphertext"/> into <paramref name="plaintext"/>; <see langword="false"/> when the tag does
    /// not authenticate it (then <paramref name="plaintext"/> is zeroed).
    /// </summary>
    public abstract bool TryDecrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> associatedData);

    public abstract void Dispose();

    /// <summary>.NET's <see cref="AesGcm"/>.</summary>
    private sealed class DotNetCipher(ReadOnlySpan<byte> key) : AesGcmCipher
    {
        private readonly AesGcm _aes = new(key, TagSize);

        public override void Encrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> associatedData) =>
            _aes.Encrypt(nonce, plaintext, ciphertext, tag, associatedData);

        public override bool TryDecrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> associatedData)
        {
            try
            {
                _aes.Decrypt(nonce, ciphertext, tag, plaintext, associatedData);
                return true;
            }
            catch (AuthenticationTagMismatchException)
            {
                return false;
            }
        }

        public override void Dispose() => _aes.Dispose();
    }
}
