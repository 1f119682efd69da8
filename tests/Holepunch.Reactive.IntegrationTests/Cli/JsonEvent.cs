using System.Text.Json;

namespace Holepunch.Reactive.IntegrationTests.Cli;

/// <summary>Reads the <c>--json</c> event lines of the CLI.</summary>
internal static class JsonEvent
{
    /// <summary>Whether <paramref name="line"/> is the event <paramref name="name"/> whose string properties have the given values.</summary>
    public static bool Is(string line, string name, params (string Key, string Value)[] properties)
    {
        using var document = Parse(line);
        var root = document.RootElement;
        if (root.GetProperty("event").GetString() != name)
        {
            return false;
        }

        foreach (var (key, value) in properties)
        {
            if (!root.TryGetProperty(key, out var property) || property.ValueKind != JsonValueKind.String || property.GetString() != value)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Parses one line, asserting it is a JSON object with an <c>event</c>.</summary>
    public static JsonDocument Parse(string line)
    {
        var document = JsonDocument.Parse(line);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        Assert.Equal(JsonValueKind.String, document.RootElement.GetProperty("event").ValueKind);
        return document;
    }
}
