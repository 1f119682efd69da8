using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Holepunch.Reactive.IntegrationTests.NatLab;

/// <summary>
/// One named network namespace of the lab, with its own loopback (brought up) and its own nftables. Deleting it
/// deletes its interfaces (and so the far ends of its veth pairs) and its rules.
/// </summary>
internal sealed partial class NetworkNamespace
{
    private NetworkNamespace(string name) => Name = name;

    /// <summary>The namespace's name under /var/run/netns (for <c>ip -n</c> and <c>ip netns exec</c>).</summary>
    public string Name { get; }

    /// <summary>
    /// Creates namespaces in one <c>ip -batch</c>. Each name is recorded as live first, so that one half-made by a
    /// failing batch is still deleted; loopback is brought up by each namespace's own <see cref="IpBatchAsync"/>.
    /// </summary>
    public static async Task<NetworkNamespace[]> CreateAllAsync(IReadOnlyList<string> names)
    {
        foreach (var name in names)
        {
            LiveNamespaces.Add(name);
        }

        await LabShell.RunAsync("ip", ["-batch", "-"], string.Concat(names.Select(static name => $"netns add {name}\n")));
        return [.. names.Select(static name => new NetworkNamespace(name))];
    }

    /// <summary>A lab namespace by name (it may not exist yet, or any more).</summary>
    public static NetworkNamespace Named(string name) => new(name);

    /// <summary>Runs <c>ip -n NAME -batch -</c> with one <c>ip</c> command per line (the first failure stops it).</summary>
    public async Task IpBatchAsync(params string[] lines) =>
        await LabShell.RunAsync("ip", ["-n", Name, "-batch", "-"], string.Concat(lines.Select(static line => line + "\n")));

    /// <summary>Runs a short command inside the namespace.</summary>
    public Task<string> ExecAsync(string file, IReadOnlyList<string> arguments, string? input = null) =>
        LabShell.RunAsync("ip", ["netns", "exec", Name, file, .. arguments], input);

    /// <summary>Loads an nftables ruleset into the namespace (<c>nft -f -</c>).</summary>
    public Task ApplyRulesetAsync(string ruleset) => ExecAsync("nft", ["-f", "-"], ruleset);

    /// <summary>Turns IPv4 forwarding on, which makes the namespace a router.</summary>
    public Task EnableForwardingAsync() => ExecAsync("sh", ["-c", "echo 1 > /proc/sys/net/ipv4/ip_forward"]);

    /// <summary>The packets a named nftables counter has counted.</summary>
    public async Task<long> ReadCounterAsync(string family, string table, string counter)
    {
        var text = await ExecAsync("nft", ["list", "counter", family, table, counter]);
        var match = PacketsPattern().Match(text);
        return match.Success
            ? long.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"No packet count in `nft list counter {family} {table} {counter}`: {text}");
    }

    /// <summary>Whether something in the namespace listens on the UDP port.</summary>
    public async Task<bool> IsUdpPortBoundAsync(int port)
    {
        var text = await ExecAsync("ss", ["-Hnlu", $"sport = :{port.ToString(CultureInfo.InvariantCulture)}"]);
        return !string.IsNullOrWhiteSpace(text);
    }

    /// <summary>Kills what still runs inside, then deletes the namespace. Never throws for a namespace already gone.</summary>
    public Task DeleteAsync() => DeleteAsync(Name);

    /// <summary>Kills the processes left in a lab namespace (the lab started them all), then deletes it.</summary>
    public static async Task DeleteAsync(string name)
    {
        var pids = await LabShell.TryRunAsync("ip", ["netns", "pids", name]);
        foreach (var line in pids.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(line, out var pid))
            {
                KillProcess(pid);
            }
        }

        var result = await LabShell.TryRunAsync("ip", ["netns", "del", name]);
        if (result.ExitCode != 0 && Exists(name))
        {
            throw new InvalidOperationException($"`ip netns del {name}` failed: {result.Error.Trim()}");
        }

        LiveNamespaces.Remove(name);
    }

    public static bool Exists(string name) => File.Exists(Path.Combine("/var/run/netns", name)) || File.Exists(Path.Combine("/run/netns", name));

    public override string ToString() => Name;

    private static void KillProcess(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(5));
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
        catch (InvalidOperationException)
        {
            // Exited between the listing and the kill.
        }
    }

    [GeneratedRegex(@"packets (\d+)")]
    private static partial Regex PacketsPattern();
}
