using CsCheck;

namespace Holepunch.Reactive.Tests.Protocol;

/// <summary>
/// Runs a CsCheck generator over a fixed number of inputs drawn from a fixed seed, so CI sees the same inputs every run.
/// </summary>
/// <remarks>
/// CsCheck's <c>Sample(seed: ...)</c> fixes only the first iteration (the others draw from <c>PCG.ThreadPCG</c> on
/// several threads), so it does not give a reproducible run; this does, at the cost of CsCheck's shrinking.
/// </remarks>
internal static class FixedSeed
{
    public static void Check<T>(Gen<T> gen, Action<T> assert, ulong seed, int iterations, Func<T, string> print)
    {
        var pcg = new PCG(1, seed);
        for (var i = 0; i < iterations; i++)
        {
            var input = gen.Generate(pcg, null, out _);
            try
            {
                assert(input);
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"Failed at iteration {i} (seed {seed}) for input:{Environment.NewLine}{print(input)}{Environment.NewLine}{e}");
            }
        }
    }
}
