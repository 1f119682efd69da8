using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Holepunch.Reactive.Peers.Internal;

/// <summary>
/// P-256 ECDH with a peer's raw public point, straight through the OpenSSL 3 that .NET itself uses on Linux: the peer's
/// key is built from the point (<c>EVP_PKEY_fromdata</c>, which refuses a point off the curve) and the secret derived
/// without OpenSSL validating that key once more.
/// </summary>
/// <remarks>
/// .NET validates an imported public key in full (a scalar multiplication to check the point's order) and validates it
/// again when deriving, and its SubjectPublicKeyInfo import goes through OpenSSL's decoder framework: 215-300 µs an
/// agreement on this project's VM, against 58 µs here. For P-256, whose cofactor is 1, a point on the curve other than
/// infinity is in the prime-order group, so the partial validation of NIST SP 800-56A (5.6.2.3.4) is complete; the
/// caller's fixed SubjectPublicKeyInfo prefix already excludes infinity and any other curve. Anything missing (another
/// platform, OpenSSL 1.1, a symbol not exported) leaves <see cref="IsAvailable"/> false and the caller on .NET's path.
/// </remarks>
internal static unsafe class OpenSslEcdh
{
    /// <summary>The length of an uncompressed P-256 point: 0x04, then X and Y.</summary>
    public const int PointLength = 65;

    /// <summary>The length of the shared secret (the X coordinate).</summary>
    public const int SecretLength = 32;

    private const uint Utf8String = 4;
    private const uint OctetString = 5;

    /// <summary>OpenSSL's EVP_PKEY_PUBLIC_KEY selection: the domain parameters and the public key.</summary>
    private const int PublicKeySelection = 0x86;

    private static readonly delegate* unmanaged<nint, byte*, byte*, nint> NewContextFromName;
    private static readonly delegate* unmanaged<nint, int> FromDataInit;
    private static readonly delegate* unmanaged<nint, nint*, int, Parameter*, int> FromData;
    private static readonly delegate* unmanaged<nint, nint, nint> NewContext;
    private static readonly delegate* unmanaged<nint, int> DeriveInit;
    private static readonly delegate* unmanaged<nint, nint, int, int> DeriveSetPeer;
    private static readonly delegate* unmanaged<nint, byte*, nuint*, int> Derive;
    private static readonly delegate* unmanaged<nint, void> FreeContext;
    private static readonly delegate* unmanaged<nint, void> FreeKey;

#pragma warning disable CA1810 // The exports are resolved together, once, or not at all.
    static OpenSslEcdh()
#pragma warning restore CA1810
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsFreeBSD())
            || (SafeEvpPKeyHandle.OpenSslVersion >> 28) != 3
            || !NativeLibrary.TryLoad("libcrypto.so.3", out var library))
        {
            return;
        }

        if (Export(library, "EVP_PKEY_CTX_new_from_name") is not 0 and var newFromName
            && Export(library, "EVP_PKEY_fromdata_init") is not 0 and var fromDataInit
            && Export(library, "EVP_PKEY_fromdata") is not 0 and var fromData
            && Export(library, "EVP_PKEY_CTX_new") is not 0 and var newContext
            && Export(library, "EVP_PKEY_derive_init") is not 0 and var deriveInit
            && Export(library, "EVP_PKEY_derive_set_peer_ex") is not 0 and var setPeer
            && Export(library, "EVP_PKEY_derive") is not 0 and var derive
            && Export(library, "EVP_PKEY_CTX_free") is not 0 and var freeContext
            && Export(library, "EVP_PKEY_free") is not 0 and var freeKey)
        {
            NewContextFromName = (delegate* unmanaged<nint, byte*, byte*, nint>)newFromName;
            FromDataInit = (delegate* unmanaged<nint, int>)fromDataInit;
            FromData = (delegate* unmanaged<nint, nint*, int, Parameter*, int>)fromData;
            NewContext = (delegate* unmanaged<nint, nint, nint>)newContext;
            DeriveInit = (delegate* unmanaged<nint, int>)deriveInit;
            DeriveSetPeer = (delegate* unmanaged<nint, nint, int, int>)setPeer;
            Derive = (delegate* unmanaged<nint, byte*, nuint*, int>)derive;
            FreeContext = (delegate* unmanaged<nint, void>)freeContext;
            FreeKey = (delegate* unmanaged<nint, void>)freeKey;
            IsAvailable = true;
        }
    }

    /// <summary>Whether this process can agree keys here (Linux or FreeBSD with OpenSSL 3).</summary>
    public static bool IsAvailable { get; }

    /// <summary>
    /// Derives the ECDH secret of <paramref name="ownKey"/> (an OpenSSL P-256 private key) and the peer's uncompressed
    /// <paramref name="peerPoint"/> into <paramref name="secret"/>; <see langword="false"/> when OpenSSL refuses the point.
    /// Safe from any thread. Only when <see cref="IsAvailable"/>.
    /// </summary>
    public static bool TryDeriveSecret(SafeEvpPKeyHandle ownKey, ReadOnlySpan<byte> peerPoint, Span<byte> secret)
    {
        if (peerPoint.Length != PointLength || secret.Length != SecretLength)
        {
            return false;
        }

        nint peer = 0;
        nint context = 0;
        var added = false;
        try
        {
            ownKey.DangerousAddRef(ref added);
            peer = PeerKey(peerPoint);
            if (peer == 0)
            {
                return false;
            }

            context = NewContext(ownKey.DangerousGetHandle(), 0);
            nuint length = SecretLength;
            fixed (byte* output = secret)
            {
                return context != 0
                    && DeriveInit(context) == 1
                    && DeriveSetPeer(context, peer, 0) == 1
                    && Derive(context, output, &length) == 1
                    && length == SecretLength;
            }
        }
        finally
        {
            if (context != 0)
            {
                FreeContext(context);
            }

            if (peer != 0)
            {
                FreeKey(peer);
            }

            if (added)
            {
                ownKey.DangerousRelease();
            }
        }
    }

    /// <summary>An OpenSSL public key on P-256 from the point (0 when refused); the caller frees it.</summary>
    private static nint PeerKey(ReadOnlySpan<byte> point)
    {
        ReadOnlySpan<byte> algorithm = "EC\0"u8;
        ReadOnlySpan<byte> groupKey = "group\0"u8;
        ReadOnlySpan<byte> publicKey = "pub\0"u8;
        ReadOnlySpan<byte> curve = "prime256v1\0"u8;
        fixed (byte* algorithmName = algorithm)
        fixed (byte* groupName = groupKey)
        fixed (byte* publicName = publicKey)
        fixed (byte* curveName = curve)
        fixed (byte* pointBytes = point)
        {
            var parameters = stackalloc Parameter[3];
            parameters[0] = new Parameter(groupName, Utf8String, curveName, (nuint)(curve.Length - 1));
            parameters[1] = new Parameter(publicName, OctetString, pointBytes, (nuint)point.Length);
            parameters[2] = default;
            var context = NewContextFromName(0, algorithmName, null);
            if (context == 0)
            {
                return 0;
            }

            try
            {
                nint key = 0;
                return FromDataInit(context) == 1 && FromData(context, &key, PublicKeySelection, parameters) == 1 ? key : 0;
            }
            finally
            {
                FreeContext(context);
            }
        }
    }

    private static nint Export(nint library, string name) => NativeLibrary.TryGetExport(library, name, out var address) ? address : 0;

    /// <summary>OpenSSL's OSSL_PARAM: a key, a type, the data and its size (and a size OpenSSL may write back).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct Parameter(byte* key, uint dataType, void* data, nuint dataSize)
    {
        private readonly byte* _key = key;
        private readonly uint _dataType = dataType;
        private readonly void* _data = data;
        private readonly nuint _dataSize = dataSize;
        private readonly nuint _returnSize;
    }
}
