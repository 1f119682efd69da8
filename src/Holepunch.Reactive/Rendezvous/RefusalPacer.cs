using System.Net;
using System.Reactive.Concurrency;

namespace Holepunch.Reactive.Rendezvous;

/// <summary>
/// At most one <c>relay-refused</c> per source endpoint per <see cref="RelayOptions.RefusalInterval"/>, on the server
/// scheduler's clock, with a bounded table: refusals are never a way to make the server send a stream of datagrams.
/// Used only on the server's scheduler.
/// </summary>
internal sealed class RefusalPacer(IScheduler scheduler, TimeSpan interval, int maxSources)
{
    private readonly Dictionary<IPEndPoint, DateTimeOffset> _last = [];

    /// <summary>How many sources are remembered.</summary>
    public int Count => _last.Count;

    /// <summary>Whether a refusal may be sent to <paramref name="source"/> now; when it may, the time is recorded.</summary>
    public bool TryAcquire(IPEndPoint source)
    {
        var now = scheduler.Now;
        if (_last.TryGetValue(source, out var last))
        {
            if (now - last < interval)
            {
                return false;
            }
        }
        else if (_last.Count >= maxSources)
        {
            // Forget the sources whose interval has passed (they lose nothing); if none has, stay silent.
            foreach (var (endPoint, at) in _last)
            {
                if (now - at >= interval)
                {
                    _last.Remove(endPoint);
                }
            }

            if (_last.Count >= maxSources)
            {
                return false;
            }
        }

        _last[source] = now;
        return true;
    }

    public void Clear() => _last.Clear();
}
