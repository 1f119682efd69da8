using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Holepunch.Reactive.Peers.Internal;

/// <summary>Counts dropped datagrams by reason; written on the client's loop, read from anywhere.</summary>
internal sealed class DropCounters
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> _counts = new(StringComparer.Ordinal);

    public void Increment(string reason)
    {
        var box = _counts.GetOrAdd(reason, static _ => new StrongBox<long>());
        Interlocked.Increment(ref box.Value);
    }

    public IReadOnlyDictionary<string, long> Snapshot() =>
        _counts.ToDictionary(static p => p.Key, static p => Interlocked.Read(ref p.Value.Value), StringComparer.Ordinal);
}
