using System.Security.Cryptography;

namespace Holepunch.Reactive.Rendezvous;

/// <summary>Relay tokens: 16 random bytes from <see cref="RandomNumberGenerator"/>, as base64url without padding (22 characters).</summary>
internal static class RelayTokens
{
    public const int Bytes = 16;
    public const int Length = 22;

    public static string New()
    {
        Span<byte> bytes = stackalloc byte[Bytes];
        RandomNumberGenerator.Fill(bytes);
#if NET9_0_OR_GREATER
        return System.Buffers.Text.Base64Url.EncodeToString(bytes);
#else
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
#endif
    }
}
