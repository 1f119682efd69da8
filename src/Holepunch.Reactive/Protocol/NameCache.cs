namespace Holepunch.Reactive.Protocol;

/// <summary>
/// The strings of recently decoded short ASCII names (<c>sender</c>, <c>intended-recipient</c>, room names), one small
/// table per thread: a peer's datagrams name the same two peers every time, so decoding them allocates no string.
/// </summary>
/// <remarks>
/// Direct-mapped, 64 slots: a name that hashes to a taken slot replaces it. Only unescaped ASCII of at most 64 bytes
/// is cached, so a name is compared byte for char without transcoding, and a miss costs nothing beyond the string a
/// decoder without the cache would allocate.
/// </remarks>
internal sealed class NameCache
{
    private const int MaxLength = 64;
    private const int Slots = 64;

    [ThreadStatic]
    private static NameCache? t_current;

    private readonly string?[] _names = new string?[Slots];

    /// <summary>The string of <paramref name="utf8"/> (valid UTF-8, unescaped), shared with earlier decodes where possible.</summary>
    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxLength || !System.Text.Ascii.IsValid(utf8))
        {
            return System.Text.Encoding.UTF8.GetString(utf8);
        }

        if (utf8.IsEmpty)
        {
            return "";
        }

        var cache = t_current ??= new NameCache();
        var slot = (int)(((uint)utf8.Length * 31u) ^ utf8[0] ^ ((uint)utf8[^1] << 3) ^ ((uint)utf8[utf8.Length / 2] << 6)) % Slots;
        var cached = cache._names[slot];
        if (cached is not null && EqualsAscii(cached, utf8))
        {
            return cached;
        }

        var name = System.Text.Encoding.ASCII.GetString(utf8);
        cache._names[slot] = name;
        return name;
    }

    private static bool EqualsAscii(string text, ReadOnlySpan<byte> ascii)
    {
        if (text.Length != ascii.Length)
        {
            return false;
        }

        for (var i = 0; i < ascii.Length; i++)
        {
            if (text[i] != ascii[i])
            {
                return false;
            }
        }

        return true;
    }
}
