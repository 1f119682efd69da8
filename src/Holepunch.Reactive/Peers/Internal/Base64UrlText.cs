namespace Holepunch.Reactive.Peers.Internal;

/// <summary>Base64url without padding (RFC 4648 §5), for keys and ciphertexts on the wire.</summary>
internal static class Base64UrlText
{
    public static string Encode(ReadOnlySpan<byte> bytes)
    {
#if NET9_0_OR_GREATER
        return System.Buffers.Text.Base64Url.EncodeToString(bytes);
#else
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
#endif
    }

    /// <summary>Decodes <paramref name="text"/>; <see langword="null"/> when it is not base64url.</summary>
    public static byte[]? TryDecode(string text)
    {
        if (text.Length % 4 == 1)
        {
            return null;
        }

        var standard = text.Replace('-', '+').Replace('_', '/');
        standard += new string('=', (4 - (standard.Length % 4)) % 4);
        var bytes = new byte[standard.Length / 4 * 3];
        return Convert.TryFromBase64String(standard, bytes, out var written) && !text.Contains('+', StringComparison.Ordinal) && !text.Contains('/', StringComparison.Ordinal)
            ? bytes[..written]
            : null;
    }
}
