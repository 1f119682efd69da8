using System.Text.Json;

namespace Holepunch.Reactive.Benchmarks.Load;

/// <summary>User messages of a given size: a JSON string whose encoded value (quotes included) is exactly that many bytes.</summary>
internal static class Payloads
{
    public static JsonElement Json(int size)
    {
        using var document = JsonDocument.Parse("\"" + new string('x', size - 2) + "\"");
        return document.RootElement.Clone();
    }
}
