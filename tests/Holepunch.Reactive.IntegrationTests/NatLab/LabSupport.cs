using System.Globalization;

namespace Holepunch.Reactive.IntegrationTests.NatLab;

/// <summary>Whether this machine can build the NAT lab, and if not, why (the reason a lab test is skipped).</summary>
internal static class LabSupport
{
    private static readonly Lazy<string?> Reason = new(FindSkipReason);

    /// <summary>Why the lab cannot run here, or <see langword="null"/> when it can.</summary>
    /// <remarks>
    /// Only "not Linux", "not root" and "no working <c>ip netns</c>" skip. As root with <c>ip netns</c> working, the
    /// lab runs, and anything else missing (nftables, the holepunch tool) fails the test loudly: .ci/run installs
    /// iproute2 and nftables when it is root.
    /// </remarks>
    public static string? SkipReason => Reason.Value;

    private static string? FindSkipReason()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "NAT lab skipped: it needs Linux network namespaces.";
        }

        if (EffectiveUserId() is not 0)
        {
            return "NAT lab skipped: not running as root (network namespaces, veth pairs and nftables need root; .ci/run as root runs it).";
        }

        // Listing is not enough: root in an unprivileged container can list but not create namespaces.
        var probe = string.Create(CultureInfo.InvariantCulture, $"hp-{Environment.ProcessId}-0-probe");
        try
        {
            var created = LabShell.TryRunAsync("ip", ["netns", "add", probe]).GetAwaiter().GetResult();
            if (created.ExitCode != 0)
            {
                return $"NAT lab skipped: `ip netns` is unavailable here (install iproute2; a container needs CAP_SYS_ADMIN): {created.Error.Trim()}";
            }

            var deleted = LabShell.TryRunAsync("ip", ["netns", "del", probe]).GetAwaiter().GetResult();
            return deleted.ExitCode == 0 ? null : $"NAT lab skipped: `ip netns del` failed: {deleted.Error.Trim()}";
        }
        catch (TimeoutException)
        {
            return "NAT lab skipped: `ip netns` did not answer.";
        }
    }

    /// <summary>The effective user id from /proc/self/status (<c>Uid: real effective saved fs</c>), or null if unreadable.</summary>
    private static int? EffectiveUserId()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("Uid:", StringComparison.Ordinal))
                {
                    var fields = line["Uid:".Length..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                    return fields.Length > 1 && int.TryParse(fields[1], out var uid) ? uid : null;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }
}
