namespace Holepunch.Reactive.IntegrationTests.NatLab;

/// <summary>
/// Where the real <c>holepunch</c> tool is: the test project builds it and records its build output's path in the
/// test assembly (see the project file and <see cref="Cli.CliProcess.DllPath"/>); it runs on the same dotnet host.
/// </summary>
internal static class HolepunchCli
{
    /// <summary>holepunch.dll in the CLI project's build output.</summary>
    public static string DllPath => Cli.CliProcess.DllPath;

    /// <summary>The dotnet host to run it with.</summary>
    public static string DotnetPath { get; } = FindDotnet();

    /// <summary>Throws when the tool is missing, which means the test project's copy step did not run.</summary>
    public static void EnsureBuilt()
    {
        if (!File.Exists(DllPath))
        {
            throw new FileNotFoundException("The holepunch tool is not where the test project's build recorded it; build the test project (it builds samples/Holepunch.Cli first).", DllPath);
        }
    }

    private static string FindDotnet()
    {
        // Set by the SDK for the processes it starts (dotnet test); the muxer that runs this test host otherwise.
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        if (Environment.ProcessPath is { } processPath && Path.GetFileNameWithoutExtension(processPath) == "dotnet")
        {
            return processPath;
        }

        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(Path.Combine(root, "dotnet")))
        {
            return Path.Combine(root, "dotnet");
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, "dotnet");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return "dotnet";
    }
}
