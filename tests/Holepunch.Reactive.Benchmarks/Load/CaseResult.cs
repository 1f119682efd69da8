using System.Text.Json.Serialization;

namespace Holepunch.Reactive.Benchmarks.Load;

/// <summary>One measured case: what the JSON output holds for it, plus a note for the table.</summary>
internal sealed record CaseResult(
    [property: JsonPropertyName("case")] string Case,
    [property: JsonPropertyName("value")] double Value,
    [property: JsonPropertyName("unit")] string Unit,
    [property: JsonPropertyName("baseline")] string? Baseline,
    [property: JsonPropertyName("ratio")] double? Ratio)
{
    [JsonIgnore]
    public string Note { get; init; } = "";
}
