using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Holepunch.Reactive.Benchmarks.Load;

namespace Holepunch.Reactive.Benchmarks;

/// <summary>
/// <c>micro [BenchmarkDotNet args]</c>: codec microbenchmarks. <c>load [--quick] [--json FILE] [--only ID,...]</c>:
/// the loopback load harness.
/// </summary>
internal static class Program
{
    private const string Usage =
        "usage: micro [BenchmarkDotNet arguments] | load [--quick] [--json FILE] [--only GROUP,...]\n" +
        "groups: raw, holepunch, litenetlib, punch, server, alloc";

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        switch (args[0])
        {
            case "micro":
                // Results under bin/ (not the working directory); a generous build timeout for a busy 2-core machine.
                var config = DefaultConfig.Instance
                    .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"))
                    .WithBuildTimeout(TimeSpan.FromMinutes(10));
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args[1..], config);
                return 0;
            case "load":
                if (!LoadOptions.TryParse(args[1..], out var options, out var error))
                {
                    Console.Error.WriteLine(error);
                    Console.Error.WriteLine(Usage);
                    return 2;
                }

                return await LoadHarness.RunAsync(options).ConfigureAwait(false);
            default:
                Console.Error.WriteLine(Usage);
                return 2;
        }
    }
}
