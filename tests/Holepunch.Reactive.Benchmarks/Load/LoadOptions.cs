namespace Holepunch.Reactive.Benchmarks.Load;

/// <summary>The load harness's command line.</summary>
internal sealed record LoadOptions(TimeSpan CaseDuration, bool Quick, string? JsonPath, IReadOnlySet<string>? Groups)
{
    public static bool TryParse(string[] args, out LoadOptions options, out string error)
    {
        var quick = false;
        string? json = null;
        HashSet<string>? groups = null;
        options = null!;
        error = "";
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--json" when i + 1 < args.Length:
                    json = args[++i];
                    break;
                case "--only" when i + 1 < args.Length:
                    groups = [.. args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                    break;
                default:
                    error = $"unknown or incomplete argument '{args[i]}'";
                    return false;
            }
        }

        options = new LoadOptions(TimeSpan.FromSeconds(quick ? 2 : 5), quick, json, groups);
        return true;
    }

    public bool Runs(string group) => Groups is null || Groups.Contains(group);
}
