using System.Buffers;
using System.Text.Json;

namespace Holepunch.Cli.Output;

/// <summary>Builds the JSON values the commands send, without reflection.</summary>
internal static class JsonValues
{
    /// <summary>The text as a JSON string value, or <see langword="null"/> if it is not valid UTF-16 (a lone surrogate).</summary>
    public static JsonElement? FromString(string text)
    {
        var buffer = new ArrayBufferWriter<byte>(text.Length + 16);
        try
        {
            using var json = new Utf8JsonWriter(buffer);
            json.WriteStringValue(text);
        }
        catch (ArgumentException)
        {
            return null;
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
