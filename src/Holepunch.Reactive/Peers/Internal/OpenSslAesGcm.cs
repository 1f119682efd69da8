using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Holepunch.Reactive.Peers.Internal;

/// <summary>
/// AES-256-GCM straight through the OpenSSL 3 that .NET itself uses on Linux, one <c>EVP_CIPHER_CTX</c> per key, set up
/// once: a datagram then costs the nonce, the associated data, the data, and the tag (<c>EVP_EncryptInit_ex</c> with the
/// nonce only, <c>EVP_EncryptUpdate</c> twice, <c>EVP_EncryptFinal_ex</c>, <c>EVP_CTRL_AEAD_GET_TAG</c>; decryption sets
/// the tag and lets <c>EVP_DecryptFinal_ex</c> check it).
/// </summary>
/// <remarks>
/// .NET's <see cref="AesGcm"/> takes about 1 µs to seal or open a 100-byte datagram on this project's VM, most of it
/// around the cipher: it sets the nonce length and clears OpenSSL's error queue on every call, and OpenSSL 3 turns each
/// such control into a parameter looked up by name. This path takes a third of that. The 12-byte nonce is GCM's default
/// length, so it is never set. Anything missing (another platform, OpenSSL 1.1, a symbol not exported, another copy of
/// libcrypto than .NET's) leaves <see cref="IsAvailable"/> false and <see cref="AesGcmCipher"/> on .NET's path.
/// </remarks>
internal static unsafe class OpenSslAesGcm
{
    private const int CtrlGetTag = 0x10;
    private const int CtrlSetTag = 0x11;

    private static readonly delegate* unmanaged<nint> NewContext;
    private static readonly delegate* unmanaged<nint, void> FreeContext;
    private static readonly delegate* unmanaged<nint> Aes256Gcm;
    private static readonly delegate* unmanaged<nint, nint, nint, byte*, byte*, int> EncryptInit;
    private static readonly delegate* unmanaged<nint, byte*, int*, byte*, int, int> EncryptUpdate;
    private static readonly delegate* unmanaged<nint, byte*, int*, int> EncryptFinal;
    private static readonly delegate* unmanaged<nint, nint, nint, byte*, byte*, int> DecryptInit;
    private static readonly delegate* unmanaged<nint, byte*, int*, byte*, int, int> DecryptUpdate;
    private static readonly delegate* unmanaged<nint, byte*, int*, int> DecryptFinal;
    private static readonly delegate* unmanaged<nint, int, int, byte*, int> Control;
    private static readonly delegate* unmanaged<void> ClearErrors;

#pragma warning disable CA1810 // The exports are resolved together, once, or not at all.
    static OpenSslAesGcm()
#pragma warning restore CA1810
    {
        if (OpenSslLibrary.Export("EVP_CIPHER_CTX_new") is not 0 and var newContext
            && OpenSslLibrary.Export("EVP_CIPHER_CTX_free") is not 0 and var freeContext
            && OpenSslLibrary.Export("EVP_aes_256_gcm") is not 0 and var aes256Gcm
            && OpenSslLibrary.Export("EVP_EncryptInit_ex") is not 0 and var encryptInit
            && OpenSslLibrary.Export("EVP_EncryptUpdate") is not 0 and var encryptUpdate
            && OpenSslLibrary.Export("EVP_EncryptFinal_ex") is not 0 and var encryptFinal
            && OpenSslLibrary.Export("EVP_DecryptInit_ex") is not 0 and var decryptInit
            && OpenSslLibrary.Export("EVP_DecryptUpdate") is not 0 and var decryptUpdate
            && OpenSslLibrary.Export("EVP_DecryptFinal_ex") is not 0 and var decryptFinal
            && OpenSslLibrary.Export("EVP_CIPHER_CTX_ctrl") is not 0 and var control
            && OpenSslLibrary.Export("ERR_clear_error") is not 0 and var clearErrors)
        {
            NewContext = (delegate* unmanaged<nint>)newContext;
            FreeContext = (delegate* unmanaged<nint, void>)freeContext;
            Aes256Gcm = (delegate* unmanaged<nint>)aes256Gcm;
            EncryptInit = (delegate* unmanaged<nint, nint, nint, byte*, byte*, int>)encryptInit;
            EncryptUpdate = (delegate* unmanaged<nint, byte*, int*, byte*, int, int>)encryptUpdate;
            EncryptFinal = (delegate* unmanaged<nint, byte*, int*, int>)encryptFinal;
            DecryptInit = (delegate* unmanaged<nint, nint, nint, byte*, byte*, int>)decryptInit;
            DecryptUpdate = (delegate* unmanaged<nint, byte*, int*, byte*, int, int>)decryptUpdate;
            DecryptFinal = (delegate* unmanaged<nint, byte*, int*, int>)decryptFinal;
            Control = (delegate* unmanaged<nint, int, int, byte*, int>)control;
            ClearErrors = (delegate* unmanaged<void>)clearErrors;
            IsAvailable = true;
        }
    }

    /// <summary>Whether this process can seal here (Linux or FreeBSD with the OpenSSL 3 .NET uses).</summary>
    public static bool IsAvailable { get; }

    /// <summary>
    /// One key's context, keyed once: each call sets its direction with the nonce (GCM runs AES forwards both ways, so
    /// the key schedule serves either), as .NET's own <see cref="AesGcm"/> does.
    /// </summary>
    internal sealed class Cipher : AesGcmCipher
    {
        private readonly Context _context;

        public Cipher(ReadOnlySpan<byte> key)
        {
            if (!IsAvailable)
            {
                throw new PlatformNotSupportedException("AES-GCM through OpenSSL directly is not available here.");
            }

            if (key.Length != KeySize)
            {
                throw new ArgumentException($"An AES-256 key is {KeySize} bytes.", nameof(key));
            }

            _context = Context.Create(key);
        }

        public override void Encrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> associatedData)
        {
            CheckLengths(nonce, plaintext.Length, ciphertext.Length, tag.Length);
            var added = false;
            try
            {
                _context.DangerousAddRef(ref added);
                var context = _context.DangerousGetHandle();
                fixed (byte* iv = nonce)
                fixed (byte* aad = associatedData)
                fixed (byte* input = plaintext)
                fixed (byte* output = ciphertext)
                fixed (byte* tagBytes = tag)
                {
                    int written;
                    int final;
                    if (EncryptInit(context, 0, 0, null, iv) != 1
                        || (associatedData.Length > 0 && EncryptUpdate(context, null, &written, aad, associatedData.Length) != 1)
                        || (plaintext.Length > 0 && (EncryptUpdate(context, output, &written, input, plaintext.Length) != 1 || written != plaintext.Length))
                        || EncryptFinal(context, output + plaintext.Length, &final) != 1
                        || final != 0
                        || Control(context, CtrlGetTag, TagSize, tagBytes) != 1)
                    {
                        ClearErrors();
                        CryptographicOperations.ZeroMemory(ciphertext);
                        CryptographicOperations.ZeroMemory(tag);
                        throw new CryptographicException("OpenSSL could not seal the datagram.");
                    }
                }
            }
            finally
            {
                if (added)
                {
                    _context.DangerousRelease();
                }
            }
        }

        public override bool TryDecrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> associatedData)
        {
            CheckLengths(nonce, ciphertext.Length, plaintext.Length, tag.Length);
            var added = false;
            try
            {
                _context.DangerousAddRef(ref added);
                var context = _context.DangerousGetHandle();
                fixed (byte* iv = nonce)
                fixed (byte* aad = associatedData)
                fixed (byte* input = ciphertext)
                fixed (byte* output = plaintext)
                fixed (byte* tagBytes = tag)
                {
                    int written;
                    int final;
                    if (DecryptInit(context, 0, 0, null, iv) == 1
                        && (associatedData.Length == 0 || DecryptUpdate(context, null, &written, aad, associatedData.Length) == 1)
                        && (ciphertext.Length == 0 || (DecryptUpdate(context, output, &written, input, ciphertext.Length) == 1 && written == ciphertext.Length))
                        && Control(context, CtrlSetTag, TagSize, tagBytes) == 1
                        && DecryptFinal(context, output + ciphertext.Length, &final) == 1
                        && final == 0)
                    {
                        return true;
                    }

                    // OpenSSL wrote the plaintext before it checked the tag: none of it stays (as with .NET's AesGcm). A
                    // forged datagram (a remote peer's doing) may also leave reasons on this thread's error queue.
                    CryptographicOperations.ZeroMemory(plaintext);
                    ClearErrors();
                    return false;
                }
            }
            finally
            {
                if (added)
                {
                    _context.DangerousRelease();
                }
            }
        }

        public override void Dispose() => _context.Dispose();

        private static void CheckLengths(ReadOnlySpan<byte> nonce, int inputLength, int outputLength, int tagLength)
        {
            if (nonce.Length != NonceSize || outputLength != inputLength || tagLength != TagSize)
            {
                throw new ArgumentException($"AES-GCM here takes a {NonceSize}-byte nonce, a {TagSize}-byte tag and an output as long as its input.");
            }
        }
    }

    /// <summary>An <c>EVP_CIPHER_CTX</c> keyed for AES-256-GCM, freed on dispose.</summary>
    private sealed class Context : SafeHandle
    {
        private Context()
            : base(0, ownsHandle: true)
        {
        }

        public override bool IsInvalid => handle == 0;

        public static Context Create(ReadOnlySpan<byte> key)
        {
            var context = new Context();
            context.SetHandle(NewContext());
            if (context.IsInvalid)
            {
                throw new CryptographicException("OpenSSL gave no cipher context.");
            }

            fixed (byte* keyBytes = key)
            {
                if (EncryptInit(context.handle, Aes256Gcm(), 0, keyBytes, null) != 1)
                {
                    ClearErrors();
                    context.Dispose();
                    throw new CryptographicException("OpenSSL could not key AES-256-GCM.");
                }
            }

            return context;
        }

        protected override bool ReleaseHandle()
        {
            FreeContext(handle);
            return true;
        }
    }
}
