using System.Security.Cryptography;
using System.Text;
using Holepunch.Reactive.Protocol;

namespace Holepunch.Reactive.Peers.Internal;

/// <summary>
/// The client's ephemeral ECDH key pair (P-256), made once per client: its public half is announced to the server as
/// <c>peer-key</c>; with a peer's announced key it yields the pair's <see cref="PeerSeal"/>.
/// </summary>
internal sealed class PeerKeyPair : IDisposable
{
    /// <summary>The longest <c>peer-key</c> accepted (a P-256 SubjectPublicKeyInfo is 91 bytes, 122 characters).</summary>
    public const int MaxKeyLength = 256;

    private static readonly byte[] Info = Encoding.UTF8.GetBytes("holepunch-reactive peer v1");
    private readonly ECDiffieHellman _key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);

    public PeerKeyPair() => PublicKey = Base64UrlText.Encode(_key.ExportSubjectPublicKeyInfo());

    /// <summary>The public key as sent: SubjectPublicKeyInfo, base64url.</summary>
    public string PublicKey { get; }

    /// <summary>Whether this runtime can seal peer datagrams (AES-GCM available).</summary>
    public static bool IsSupported => AesGcm.IsSupported;

    /// <summary>
    /// Agrees the pair's keys: HKDF-SHA256 over the ECDH secret, salted with both names in ordinal order, one key per
    /// direction. <see langword="null"/> when <paramref name="peerKey"/> is not a usable P-256 public key.
    /// </summary>
    public PeerSeal? TryAgree(string localName, string peerName, string peerKey)
    {
        if (peerKey.Length > MaxKeyLength || Base64UrlText.TryDecode(peerKey) is not { } spki)
        {
            return null;
        }

        try
        {
            using var peer = ECDiffieHellman.Create();
            peer.ImportSubjectPublicKeyInfo(spki, out var read);
            if (read != spki.Length || peer.KeySize != 256)
            {
                return null;
            }

            var secret = _key.DeriveRawSecretAgreement(peer.PublicKey);
            var localFirst = string.CompareOrdinal(localName, peerName) < 0;
            var (first, second) = localFirst ? (localName, peerName) : (peerName, localName);
            var salt = Encoding.UTF8.GetBytes(first + "\n" + second);
            var keys = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 64, salt, Info);
            CryptographicOperations.ZeroMemory(secret);

            // The first key seals what the name first in order sends, the second the other direction.
            var firstToSecond = keys.AsSpan(0, 32);
            var secondToFirst = keys.AsSpan(32, 32);
            var seal = new PeerSeal(localName, peerName, localFirst ? firstToSecond : secondToFirst, localFirst ? secondToFirst : firstToSecond);
            CryptographicOperations.ZeroMemory(keys);
            return seal;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    public void Dispose() => _key.Dispose();
}
