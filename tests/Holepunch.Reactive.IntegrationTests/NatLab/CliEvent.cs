using System.Net;
using System.Text.Json;

namespace Holepunch.Reactive.IntegrationTests.NatLab;

/// <summary>One JSON line the tool printed with <c>--json</c>, e.g. <c>{"event":"linked","peer":"bob"}</c>.</summary>
/// <param name="Name">The <c>event</c> property.</param>
/// <param name="Body">The whole object.</param>
/// <param name="At">When the line arrived, from the process's start.</param>
internal sealed record CliEvent(string Name, JsonElement Body, TimeSpan At)
{
    /// <summary>A property as text: a JSON string's value, any other value's JSON; null when absent.</summary>
    public string? this[string property] =>
        Body.TryGetProperty(property, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;

    /// <summary>The <c>address</c> property as an endpoint.</summary>
    public IPEndPoint Address =>
        IPEndPoint.TryParse(this["address"] ?? "", out var endPoint)
            ? endPoint
            : throw new FormatException($"The event has no IP:PORT address: {Body.GetRawText()}");

    /// <summary>Parses a line; null when it is not a JSON object with a string <c>event</c>.</summary>
    public static CliEvent? TryParse(string line, TimeSpan at)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("event", out var name)
                && name.ValueKind == JsonValueKind.String
                    ? new CliEvent(name.GetString()!, document.RootElement.Clone(), at)
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public override string ToString() => Body.GetRawText();
}
