using System.Text.Json.Serialization;

namespace Holepunch.Reactive.Benchmarks.Load;

/// <summary>Source-generated JSON for the results file.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(List<CaseResult>))]
internal sealed partial class LoadJsonContext : JsonSerializerContext;
