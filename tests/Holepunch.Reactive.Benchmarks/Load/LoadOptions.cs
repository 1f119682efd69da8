namespace Holepunch.Reactive.Benchmarks.Load;

/// <summary>The load harness's command line.</summary>
internal sealed record LoadOptions(TimeSpan CaseDuration, bool Quick, string? JsonPath, IReadOnlySet<string>? Groups, int Repeat)
{
    public static bool TryParse(string[] args, out LoadOptions options, out string error)
    {
        var quick = false;
        string? json = null;
        HashSet<string>? groups = null;
        var repeat = 1;
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
                case "--repeat" when i + 1 < args.Length && int.TryParse(args[i + 1], out repeat) && repeat is >= 1 and <= 9:
                    i++;
                    break;
                case "--only" when i + 1 < args.Length:
                    groups = [.. args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                    break;
                default:
                    error = $"unknown or incomplete argument '{args[i]}'";
                    return false;
            }
        }

        options = new LoadOptions(TimeSpan.FromSeconds(quick ? 2 : 5), quick, json, groups, repeat);
        return true;
    }

    public bool Runs(string group) => Groups is null || Groups.Contains(group);
}
