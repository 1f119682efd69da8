using System.Security.Cryptography;
using System.Text;
using Holepunch.Reactive.Protocol;

namespace Holepunch.Reactive.Peers.Internal;

/// <summary>
/// The client's ephemeral ECDH key pair (P-256), made once per client: its public half is announced to the server as
/// <c>peer-key</c>; with a peer's announced key it yields the pair's <see cref="PeerSeal"/>. The agreement runs
/// through <see cref="OpenSslEcdh"/> where it can, else through .NET's <see cref="ECDiffieHellman"/>; both accept the
/// same keys and derive the same secret.
/// </summary>
internal sealed class PeerKeyPair : IDisposable
{
    /// <summary>The longest <c>peer-key</c> accepted (a P-256 SubjectPublicKeyInfo is 91 bytes, 122 characters).</summary>
    public const int MaxKeyLength = 256;

    private static readonly byte[] Info = Encoding.UTF8.GetBytes("holepunch-reactive peer v1");

    /// <summary>
    /// What every P-256 SubjectPublicKeyInfo with an uncompressed point starts with (the algorithm and curve identifiers,
    /// the bit string's header and 0x04), as <see cref="AsymmetricAlgorithm.ExportSubjectPublicKeyInfo"/> writes it;
    /// the 64 bytes of X and Y follow.
    /// </summary>
    private static readonly byte[] SpkiPrefix = Convert.FromHexString("3059301306072A8648CE3D020106082A8648CE3D03010703420004");

    private readonly ECDiffieHellman _key;
    private readonly OpenSslEcdh.PrivateKey? _openSslKey;

    /// <summary>Makes a key pair, agreeing through OpenSSL directly where it can.</summary>
    public PeerKeyPair()
        : this(OpenSslEcdh.IsAvailable)
    {
    }

    /// <summary>Makes a key pair; <paramref name="direct"/> false keeps the agreement on .NET's path (tests compare the two).</summary>
    internal PeerKeyPair(bool direct)
    {
        if (direct && OpenSslEcdh.IsAvailable && (OperatingSystem.IsLinux() || OperatingSystem.IsFreeBSD()))
        {
            var key = new ECDiffieHellmanOpenSsl(ECCurve.NamedCurves.nistP256);
            try
            {
                using var handle = key.DuplicateKeyHandle();
                _openSslKey = OpenSslEcdh.Import(handle);
            }
            catch
            {
                key.Dispose();
                throw;
            }

            _key = key;
        }
        else
        {
            _key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        }

        PublicKey = Base64UrlText.Encode(_key.ExportSubjectPublicKeyInfo());
    }

    /// <summary>
    /// Pays on this thread the first-use cost of the cryptography after an agreement's ECDH (HKDF, AES-GCM): on a new
    /// thread the first such call takes 10-20 µs more than the next, set-up in .NET's and OpenSSL's per-thread state. A
    /// client runs it as its receive thread starts, off the punch's critical path, since that thread brings the
    /// introduction and agrees the keys. A failure costs only the speed-up.
    /// </summary>
    public static void WarmUpThread()
    {
        try
        {
            Span<byte> key = stackalloc byte[32];
            Span<byte> keys = stackalloc byte[64];
            Span<byte> nonce = stackalloc byte[12];
            Span<byte> tag = stackalloc byte[PeerSeal.TagSize];
            key.Clear();
            nonce.Clear();
            HKDF.DeriveKey(HashAlgorithmName.SHA256, key, keys, [], Info);
            using var gcm = AesGcmCipher.Create(keys[..32]);
            gcm.Encrypt(nonce, [], [], tag, []);
        }
#pragma warning disable CA1031 // Only a warm-up: sealing fails the same way later, where it is reported.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>Whether agreements skip .NET's repeated validation of the peer's key (see <see cref="OpenSslEcdh"/>).</summary>
    public bool IsDirect => _openSslKey is not null;

    /// <summary>The public key as sent: SubjectPublicKeyInfo, base64url.</summary>
    public string PublicKey { get; }

    /// <summary>Whether this runtime can seal peer datagrams (AES-GCM available).</summary>
    public static bool IsSupported => AesGcm.IsSupported;

    /// <summary>
    /// Agrees the pair's keys: HKDF-SHA256 over the ECDH secret, salted with both names in ordinal order, one key per
    /// direction. <see langword="null"/> when <paramref name="peerKey"/> is not a P-256 public key with an uncompressed
    /// point on the curve, in SubjectPublicKeyInfo as our peers send it. Safe from any thread.
    /// </summary>
    public PeerSeal? TryAgree(string localName, string peerName, string peerKey)
    {
        if (peerKey.Length > MaxKeyLength
            || Base64UrlText.TryDecode(peerKey) is not { } spki
            || spki.Length != SpkiPrefix.Length + 64
            || !spki.AsSpan().StartsWith(SpkiPrefix))
        {
            return null;
        }

        var secret = new byte[OpenSslEcdh.SecretLength];
        byte[]? keys = null;
        try
        {
            if (!(_openSslKey is { } own
                ? OpenSslEcdh.TryDeriveSecret(own, spki.AsSpan(SpkiPrefix.Length - 1), secret)
                : TryDeriveSecret(spki, secret)))
            {
                return null;
            }

            var localFirst = string.CompareOrdinal(localName, peerName) < 0;
            var (first, second) = localFirst ? (localName, peerName) : (peerName, localName);
            var salt = Encoding.UTF8.GetBytes(first + "\n" + second);
            keys = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 64, salt, Info);

            // The first key seals what the name first in order sends, the second the other direction.
            var firstToSecond = keys.AsSpan(0, 32);
            var secondToFirst = keys.AsSpan(32, 32);
            return new PeerSeal(localName, peerName, localFirst ? firstToSecond : secondToFirst, localFirst ? secondToFirst : firstToSecond);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
            CryptographicOperations.ZeroMemory(keys);
        }
    }

    public void Dispose()
    {
        _openSslKey?.Dispose();
        _key.Dispose();
    }

    /// <summary>.NET's path: the peer's key imported (and validated in full), then the secret derived.</summary>
    private bool TryDeriveSecret(byte[] spki, Span<byte> secret)
    {
        try
        {
            using var peer = ECDiffieHellman.Create();
            peer.ImportSubjectPublicKeyInfo(spki, out _);
            var derived = _key.DeriveRawSecretAgreement(peer.PublicKey);
            derived.CopyTo(secret);
            CryptographicOperations.ZeroMemory(derived);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
