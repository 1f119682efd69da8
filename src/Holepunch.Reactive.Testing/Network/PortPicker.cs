namespace Holepunch.Reactive.Testing.Network;

/// <summary>Seeded choice of a free port in a range, bounded: a few random tries, then one scan from a random start.</summary>
internal static class PortPicker
{
    private const int RandomTries = 64;

    /// <summary>Picks a port in [<paramref name="min"/>, <paramref name="max"/>] for which <paramref name="isFree"/> holds.</summary>
    /// <returns>The port, or 0 when every port in the range is taken.</returns>
    public static int Pick<TState>(Random random, int min, int max, TState state, Func<TState, int, bool> isFree)
    {
        var count = max - min + 1;
        for (var i = 0; i < RandomTries; i++)
        {
            var port = random.Next(min, max + 1);
            if (isFree(state, port))
            {
                return port;
            }
        }

        var start = random.Next(count);
        for (var n = 0; n < count; n++)
        {
            var port = min + ((start + n) % count);
            if (isFree(state, port))
            {
                return port;
            }
        }

        return 0;
    }
}
