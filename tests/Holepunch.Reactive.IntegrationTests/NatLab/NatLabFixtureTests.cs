using Xunit.Abstractions;

namespace Holepunch.Reactive.IntegrationTests.NatLab;

/// <summary>The lab itself: it leaves nothing behind.</summary>
public sealed class NatLabFixtureTests(ITestOutputHelper output) : NatLabTest(output)
{
    [NatLabFact]
    public async Task LabTeardown_DeletesEveryNamespace()
    {
        var lab = await CreateLabAsync(NatBehavior.Cone, NatBehavior.Cone);
        string[] names = [lab.Public.Name, lab.RouterA.Name, lab.RouterB.Name, lab.HostA1.Name, lab.HostA2.Name, lab.HostB.Name];
        Assert.All(names, name => Assert.True(NetworkNamespace.Exists(name), name));

        await lab.DisposeAsync();

        Assert.All(names, name => Assert.False(NetworkNamespace.Exists(name), name));
    }

    [NatLabFact]
    public async Task StaleCleanup_DeletesNamespaceOfDeadProcess()
    {
        // A pid above pid_max belongs to no process, now or later.
        var pidMax = long.Parse(await File.ReadAllTextAsync("/proc/sys/kernel/pid_max"), System.Globalization.CultureInfo.InvariantCulture);
        var stale = $"hp-{pidMax + 1}-1-pub";
        await LabShell.RunAsync("ip", ["netns", "add", stale]);
        try
        {
            await StaleLabCleanup.RunAsync();

            Assert.False(NetworkNamespace.Exists(stale));
        }
        finally
        {
            await NetworkNamespace.DeleteAsync(stale);
        }
    }
}
