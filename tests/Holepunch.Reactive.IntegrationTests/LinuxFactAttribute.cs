namespace Holepunch.Reactive.IntegrationTests;

/// <summary>A fact that runs on Linux only, where every address of 127.0.0.0/8 reaches the loopback interface.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "Needs Linux: other systems answer only 127.0.0.1 on loopback.";
        }
    }
}
