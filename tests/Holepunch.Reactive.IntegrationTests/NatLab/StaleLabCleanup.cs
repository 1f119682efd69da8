using System.Globalization;
using System.Text.RegularExpressions;

namespace Holepunch.Reactive.IntegrationTests.NatLab;

/// <summary>
/// Deletes lab namespaces (<c>hp-PID-…</c>) left behind by a test process that no longer runs (killed before its
/// teardown). Namespaces of live processes, this one included, are left alone: another run may be using them.
/// </summary>
internal static partial class StaleLabCleanup
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool done;

    public static async Task RunOnceAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (!done)
            {
                await RunAsync();
                done = true;
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Deletes every stale lab namespace now.</summary>
    public static async Task RunAsync()
    {
        var list = await LabShell.RunAsync("ip", ["netns", "list"]);
        foreach (var line in list.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var name = line.Split(' ', 2)[0];
            var match = LabNamePattern().Match(name);
            if (match.Success
                && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && pid != Environment.ProcessId
                && !Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}"))
            {
                await NetworkNamespace.DeleteAsync(name);
            }
        }
    }

    [GeneratedRegex(@"^hp-(\d+)-")]
    private static partial Regex LabNamePattern();
}
