namespace Holepunch.Reactive.IntegrationTests.NatLab;

/// <summary>
/// The lab namespaces this test process has created and not yet deleted. If the test host exits without running
/// a lab's teardown, the exit handler deletes them; the next run's <see cref="StaleLabCleanup"/> catches the rest.
/// </summary>
internal static class LiveNamespaces
{
    private static readonly HashSet<string> Names = new(StringComparer.Ordinal);
    private static int exitHandlerInstalled;

    public static void Add(string name)
    {
        if (Interlocked.Exchange(ref exitHandlerInstalled, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += static (_, _) => DeleteAll();
        }

        lock (Names)
        {
            Names.Add(name);
        }
    }

    public static void Remove(string name)
    {
        lock (Names)
        {
            Names.Remove(name);
        }
    }

    private static void DeleteAll()
    {
        string[] left;
        lock (Names)
        {
            left = [.. Names];
        }

        foreach (var name in left)
        {
            try
            {
                NetworkNamespace.DeleteAsync(name).Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
                // Best effort at exit; the next run removes stale lab namespaces.
            }
        }
    }
}
