using System.Buffers;
using System.Text.Json;

namespace Holepunch.Reactive.Protocol;

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

    /// <summary>
    /// Writes <paramref name="bytes"/> as the base64url string value of <paramref name="name"/>; on .NET 9 and later
    /// without a string in between (base64url needs no JSON escaping, so its UTF-8 bytes are the value as is).
    /// </summary>
    public static void Write(Utf8JsonWriter writer, JsonEncodedText name, ReadOnlySpan<byte> bytes)
    {
#if NET9_0_OR_GREATER
        var length = System.Buffers.Text.Base64Url.GetEncodedLength(bytes.Length);
        var rented = length <= 1024 ? null : ArrayPool<byte>.Shared.Rent(length);
        Span<byte> text = rented ?? stackalloc byte[1024];
        System.Buffers.Text.Base64Url.EncodeToUtf8(bytes, text, out _, out var written);
        writer.WriteString(name, text[..written]);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
#else
        writer.WriteString(name, Encode(bytes));
#endif
    }

    /// <summary>Decodes <paramref name="text"/>; <see langword="null"/> when it is not base64url.</summary>
    public static byte[]? TryDecode(string text)
    {
        byte[] buffer = [];
        return TryDecode(text, ref buffer, out var written) ? buffer[..written] : null;
    }

    /// <summary>
    /// Decodes <paramref name="text"/> into <paramref name="buffer"/>, replaced by a larger one when too small (so a
    /// caller that keeps the buffer decodes without allocating); <see langword="false"/> when it is not base64url.
    /// </summary>
    public static bool TryDecode(string text, ref byte[] buffer, out int written)
    {
        written = 0;
        if (text.Length % 4 == 1)
        {
            return false;
        }

#if NET9_0_OR_GREATER
        // Validated first: decoding throws on a character outside the alphabet.
        if (!System.Buffers.Text.Base64Url.IsValid(text, out var length))
        {
            return false;
        }

        if (buffer.Length < length)
        {
            buffer = new byte[Math.Max(length, buffer.Length * 2)];
        }

        written = System.Buffers.Text.Base64Url.DecodeFromChars(text, buffer);
        return true;
#else
        var standard = text.Replace('-', '+').Replace('_', '/');
        standard += new string('=', (4 - (standard.Length % 4)) % 4);
        var bytes = new byte[standard.Length / 4 * 3];
        if (text.Contains('+', StringComparison.Ordinal) || text.Contains('/', StringComparison.Ordinal)
            || !Convert.TryFromBase64String(standard, bytes, out written))
        {
            return false;
        }

        buffer = bytes;
        return true;
#endif
    }

    /// <summary>
    /// Decodes the UTF-8 <paramref name="utf8"/> into an array rented from <see cref="ArrayPool{T}.Shared"/> (the caller
    /// returns it), so a datagram's ciphertext needs no string; <see langword="null"/> when it is not base64url.
    /// </summary>
    public static byte[]? TryDecodeRented(ReadOnlySpan<byte> utf8, out int written)
    {
        written = 0;
#if NET9_0_OR_GREATER
        if (utf8.Length % 4 == 1 || !System.Buffers.Text.Base64Url.IsValid(utf8, out var length))
        {
            return null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        written = System.Buffers.Text.Base64Url.DecodeFromUtf8(utf8, buffer);
        return buffer;
#else
        byte[] decoded = [];
        if (!TryDecode(System.Text.Encoding.UTF8.GetString(utf8), ref decoded, out written))
        {
            return null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(written, 1));
        decoded.AsSpan(0, written).CopyTo(buffer);
        return buffer;
#endif
    }
}
