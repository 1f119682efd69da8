using System.Globalization;
using System.Text.Json;

namespace Holepunch.Reactive.Benchmarks.Load;

/// <summary>Runs the load cases in order, then prints the table and writes the JSON array.</summary>
internal static class LoadHarness
{
    public static async Task<int> RunAsync(LoadOptions options)
    {
        QuietLiteNetLogger.Install();
        Console.Error.WriteLine(
            $"load harness: {(options.Quick ? "quick" : "full")} ({options.CaseDuration.TotalSeconds:0} s a case), " +
            $"{options.Repeat} run(s), {Environment.ProcessorCount} cores, .NET {Environment.Version}, 127.0.0.1 only");

        var runs = new List<List<CaseResult>>();
        for (var run = 0; run < options.Repeat; run++)
        {
            var current = new List<CaseResult>();
            await RunGroupAsync(options, "raw", current, () => Task.FromResult(RawSocketCases.Run(options))).ConfigureAwait(false);
            await RunGroupAsync(options, "holepunch", current, () => HolepunchCases.RunAsync(options)).ConfigureAwait(false);
            await RunGroupAsync(options, "litenetlib", current, () => Task.FromResult(LiteNetLibCases.Run(options))).ConfigureAwait(false);
            await RunGroupAsync(options, "punch", current, () => PunchCases.RunAsync(options)).ConfigureAwait(false);
            await RunGroupAsync(options, "server", current, () => ServerCases.RunAsync(options)).ConfigureAwait(false);
            await RunGroupAsync(options, "alloc", current, () => AllocationCases.RunAsync(options)).ConfigureAwait(false);
            runs.Add(current);
        }

        var results = Median(runs);
        var resolved = ResolveRatios(results);
        Console.WriteLine(Table(resolved));
        if (options.JsonPath is { } path)
        {
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(resolved, LoadJsonContext.Default.ListCaseResult)).ConfigureAwait(false);
            Console.Error.WriteLine($"wrote {path}");
        }

        return 0;
    }

    private static async Task RunGroupAsync(LoadOptions options, string group, List<CaseResult> results, Func<Task<IReadOnlyList<CaseResult>>> run)
    {
        if (!options.Runs(group))
        {
            return;
        }

        Console.Error.WriteLine($"-- {group}");
        foreach (var result in await run().ConfigureAwait(false))
        {
            Console.Error.WriteLine($"   {result.Case,-34} {Format(result.Value),12} {result.Unit} {result.Note}");
            results.Add(result);
        }
    }

    /// <summary>With several runs, each case's median run (its value and note); a noisy shared machine moves single runs a lot.</summary>
    private static List<CaseResult> Median(List<List<CaseResult>> runs) =>
        [.. runs[0].Select(first =>
        {
            var all = runs.Select(run => run.Find(r => r.Case == first.Case)).OfType<CaseResult>().OrderBy(static r => r.Value).ToList();
            return all[(all.Count - 1) / 2];
        })];

    /// <summary>ratio = value / baseline's value (so for a latency, below 1 is better; for a rate, above 1 is better).</summary>
    private static List<CaseResult> ResolveRatios(List<CaseResult> results)
    {
        var byId = results.ToDictionary(static r => r.Case, StringComparer.Ordinal);
        return [.. results.Select(r => r.Baseline is { } id && byId.TryGetValue(id, out var baseline) && baseline.Value != 0
            ? r with { Ratio = Math.Round(r.Value / baseline.Value, 3) }
            : r with { Ratio = null })];
    }

    private static string Table(List<CaseResult> results)
    {
        var lines = new List<string>
        {
            "| case | value | unit | baseline | ratio | note |",
            "|---|---:|---|---|---:|---|",
        };
        lines.AddRange(results.Select(static r =>
            $"| {r.Case} | {Format(r.Value)} | {r.Unit} | {r.Baseline ?? ""} | {(r.Ratio is { } x ? x.ToString("0.00", CultureInfo.InvariantCulture) : "")} | {r.Note} |"));
        return string.Join(Environment.NewLine, lines);
    }

    private static string Format(double value) =>
        value >= 1000 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.#", CultureInfo.InvariantCulture);
}
