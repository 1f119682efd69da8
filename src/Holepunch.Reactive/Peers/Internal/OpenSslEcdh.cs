using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Holepunch.Reactive.Peers.Internal;

/// <summary>
/// P-256 ECDH with a peer's raw public point, straight through the OpenSSL 3 that .NET itself uses on Linux: the point
/// is decoded onto the own key's curve (<c>EC_POINT_oct2point</c>, which refuses a point off the curve) and multiplied
/// by the own private key (<c>ECDH_compute_key</c>), with no key object made for the peer and no validation beyond that.
/// </summary>
/// <remarks>
/// .NET validates an imported public key in full (a scalar multiplication to check the point's order) and validates it
/// again when deriving, and its SubjectPublicKeyInfo import goes through OpenSSL's decoder framework: 215-300 µs an
/// agreement on this project's VM. Building the peer's key as an <c>EVP_PKEY</c> (<c>EVP_PKEY_fromdata</c>) still makes a
/// new curve group per key, Montgomery constants included: 57 µs, and about 50 µs more for the first agreement of each
/// own key while OpenSSL exports it to its provider. This path costs about what <c>openssl speed ecdhp256</c> reports
/// (39-49 µs on that VM from session to session), from the first agreement on: the own key's legacy <c>EC_KEY</c> (and
/// its group) is taken once, when the key pair is made. These
/// functions are deprecated in OpenSSL 3 but exported by every 3.x. For P-256, whose cofactor is 1, a point on the curve
/// other than infinity is in the prime-order group, so the partial validation of NIST SP 800-56A (5.6.2.3.4) is
/// complete; the caller's fixed SubjectPublicKeyInfo prefix already excludes infinity and any other curve. Anything
/// missing (another platform, OpenSSL 1.1, a symbol not exported) leaves <see cref="IsAvailable"/> false and the caller
/// on .NET's path.
/// </remarks>
internal static unsafe class OpenSslEcdh
{
    /// <summary>The length of an uncompressed P-256 point: 0x04, then X and Y.</summary>
    public const int PointLength = 65;

    /// <summary>The length of the shared secret (the X coordinate).</summary>
    public const int SecretLength = 32;

    private static readonly delegate* unmanaged<nint, nint> GetEcKey;
    private static readonly delegate* unmanaged<nint, nint> GetGroup;
    private static readonly delegate* unmanaged<nint, nint> NewPoint;
    private static readonly delegate* unmanaged<nint, nint, byte*, nuint, nint, int> DecodePoint;
    private static readonly delegate* unmanaged<byte*, nuint, nint, nint, nint, int> ComputeKey;
    private static readonly delegate* unmanaged<nint, void> FreePoint;
    private static readonly delegate* unmanaged<nint, void> FreeEcKey;
    private static readonly delegate* unmanaged<void> ClearErrors;

#pragma warning disable CA1810 // The exports are resolved together, once, or not at all.
    static OpenSslEcdh()
#pragma warning restore CA1810
    {
        // The keys come from the OpenSSL .NET loaded: OpenSslLibrary is that copy or nothing.
        if (OpenSslLibrary.Export("EVP_PKEY_get1_EC_KEY") is not 0 and var getEcKey
            && OpenSslLibrary.Export("EC_KEY_get0_group") is not 0 and var getGroup
            && OpenSslLibrary.Export("EC_POINT_new") is not 0 and var newPoint
            && OpenSslLibrary.Export("EC_POINT_oct2point") is not 0 and var decodePoint
            && OpenSslLibrary.Export("ECDH_compute_key") is not 0 and var computeKey
            && OpenSslLibrary.Export("EC_POINT_free") is not 0 and var freePoint
            && OpenSslLibrary.Export("EC_KEY_free") is not 0 and var freeEcKey
            && OpenSslLibrary.Export("ERR_clear_error") is not 0 and var clearErrors)
        {
            GetEcKey = (delegate* unmanaged<nint, nint>)getEcKey;
            GetGroup = (delegate* unmanaged<nint, nint>)getGroup;
            NewPoint = (delegate* unmanaged<nint, nint>)newPoint;
            DecodePoint = (delegate* unmanaged<nint, nint, byte*, nuint, nint, int>)decodePoint;
            ComputeKey = (delegate* unmanaged<byte*, nuint, nint, nint, nint, int>)computeKey;
            FreePoint = (delegate* unmanaged<nint, void>)freePoint;
            FreeEcKey = (delegate* unmanaged<nint, void>)freeEcKey;
            ClearErrors = (delegate* unmanaged<void>)clearErrors;
            IsAvailable = true;
        }
    }

    /// <summary>Whether this process can agree keys here (Linux or FreeBSD with OpenSSL 3).</summary>
    public static bool IsAvailable { get; }

    /// <summary>
    /// The own private key as OpenSSL's <c>EC_KEY</c>, taken from <paramref name="key"/> (an OpenSSL P-256 key pair); the
    /// caller disposes it. Only when <see cref="IsAvailable"/>.
    /// </summary>
    /// <exception cref="CryptographicException">OpenSSL gave no <c>EC_KEY</c>.</exception>
    public static PrivateKey Import(SafeEvpPKeyHandle key)
    {
        var added = false;
        try
        {
            key.DangerousAddRef(ref added);
            var ecKey = GetEcKey(key.DangerousGetHandle());
            return ecKey != 0 ? new PrivateKey(ecKey) : throw new CryptographicException("OpenSSL gave no EC_KEY for the key pair.");
        }
        finally
        {
            if (added)
            {
                key.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Derives the ECDH secret of <paramref name="ownKey"/> and the peer's uncompressed <paramref name="peerPoint"/> into
    /// <paramref name="secret"/>; <see langword="false"/> when OpenSSL refuses the point. Safe from any thread (the own key
    /// is only read). Only when <see cref="IsAvailable"/>.
    /// </summary>
    public static bool TryDeriveSecret(PrivateKey ownKey, ReadOnlySpan<byte> peerPoint, Span<byte> secret)
    {
        // 0x04: uncompressed. OpenSSL would also take the hybrid forms (0x06, 0x07), which our peers never send.
        if (peerPoint.Length != PointLength || peerPoint[0] != 0x04 || secret.Length != SecretLength)
        {
            return false;
        }

        nint point = 0;
        var added = false;
        try
        {
            ownKey.DangerousAddRef(ref added);
            var ecKey = ownKey.DangerousGetHandle();
            var group = GetGroup(ecKey);
            point = NewPoint(group);
            fixed (byte* pointBytes = peerPoint)
            fixed (byte* output = secret)
            {
                if (point != 0
                    && DecodePoint(group, point, pointBytes, (nuint)peerPoint.Length, 0) == 1
                    && ComputeKey(output, SecretLength, point, ecKey, 0) == SecretLength)
                {
                    return true;
                }
            }

            // A refused point (a remote peer's doing) leaves its reasons on this thread's OpenSSL error queue, where
            // whatever else uses OpenSSL on the thread next would find them.
            ClearErrors();
            return false;
        }
        finally
        {
            if (point != 0)
            {
                FreePoint(point);
            }

            if (added)
            {
                ownKey.DangerousRelease();
            }
        }
    }

    /// <summary>An own private key as OpenSSL's <c>EC_KEY</c>, freed on dispose.</summary>
    internal sealed class PrivateKey : SafeHandle
    {
        public PrivateKey(nint ecKey)
            : base(0, ownsHandle: true)
        {
            SetHandle(ecKey);
        }

        public override bool IsInvalid => handle == 0;

        protected override bool ReleaseHandle()
        {
            FreeEcKey(handle);
            return true;
        }
    }
}
