namespace Holepunch.Reactive.IntegrationTests;

/// <summary>A theory that runs on Linux only (see <see cref="LinuxFactAttribute"/>).</summary>
public sealed class LinuxTheoryAttribute : TheoryAttribute
{
    public LinuxTheoryAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "Needs Linux.";
        }
    }
}
