namespace Holepunch.Reactive.IntegrationTests.NatLab;

/// <summary>
/// A fact that needs the NAT lab: it runs as root on Linux with <c>ip netns</c>, and is skipped, with the reason
/// shown by the test runner, only when the machine is not Linux, the tests are not root, or <c>ip netns</c> is missing.
/// </summary>
public sealed class NatLabFactAttribute : FactAttribute
{
    public NatLabFactAttribute()
    {
        if (LabSupport.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
