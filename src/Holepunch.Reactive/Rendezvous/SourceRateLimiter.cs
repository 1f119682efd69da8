using System.Net;

namespace Holepunch.Reactive.Rendezvous;

/// <summary>
/// One token bucket per source IP address, then one global bucket for all sources, refilled by <see cref="Tick"/> (a
/// periodic timer on the server's scheduler, so refills follow virtual time in tests), with a bounded number of sources.
/// </summary>
/// <remarks>
/// <para>
/// Not <c>System.Threading.RateLimiting</c>: its limiters measure elapsed time with <c>Stopwatch</c> even when
/// replenished by hand (<c>TokenBucketRateLimiter.TryReplenish</c> adds tokens in proportion to the wall-clock time
/// since the last call; the window limiters refuse to refill before a real window has passed), so they cannot follow
/// the server's scheduler. A bucket here is one integer, refilled by <see cref="RendezvousServerOptions.SourceTokensPerPeriod"/>
/// each tick: no allocation per datagram.
/// </para>
/// <para>
/// Keyed by IP address rather than IP and port: one host gains nothing by spreading a flood over many ports, and
/// the defaults leave room for many Godot clients behind one NAT (each sends a request every few seconds).
/// The source's bucket is checked first, so a flood from a few sources is stopped there and does not drain the
/// global bucket that everyone else shares; the global bucket bounds the work of a flood spread over many sources.
/// </para>
/// <para>
/// The table is bounded: when it holds <see cref="RendezvousServerOptions.MaxSources"/> sources, a new source takes the
/// place of one whose bucket was full at the last tick and has not been used since (forgetting a full bucket loses
/// nothing: a new one starts full), so a flood from many spoofed addresses cannot lock newcomers out for the idle
/// timeout. Only when no such source exists is the newcomer dropped as <see cref="RendezvousDropReason.TooManySources"/>.
/// <see cref="TryAcquire"/> runs on the receive thread and <see cref="Tick"/> on the scheduler: one lock guards the table.
/// </para>
/// </remarks>
internal sealed class SourceRateLimiter : IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<IPAddress, Source> _sources = [];
    private readonly Queue<IPAddress> _replaceable = new();
    private readonly int _tokenLimit;
    private readonly int _globalLimit;
    private readonly int _globalPerPeriod;
    private int _globalTokens;
    private readonly int _tokensPerPeriod;
    private readonly int _maxSources;
    private readonly long _idlePeriods;
    private long _period;
    private bool _disposed;

    public SourceRateLimiter(RendezvousServerOptions options)
    {
        _tokenLimit = options.SourceTokenLimit;
        _tokensPerPeriod = options.SourceTokensPerPeriod;
        _maxSources = options.MaxSources;
        _globalLimit = _globalTokens = options.GlobalTokenLimit;
        _globalPerPeriod = options.GlobalTokensPerPeriod;
        _idlePeriods = Math.Max(1, (long)Math.Ceiling(options.SourceIdleTimeout / options.SourceReplenishmentPeriod));
    }

    /// <summary>How many sources are tracked.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _sources.Count;
            }
        }
    }

    /// <summary>Takes one token from <paramref name="source"/>'s bucket.</summary>
    /// <param name="source">The datagram's source address.</param>
    /// <param name="reason">Why the datagram must be dropped, when the method returns <see langword="false"/>.</param>
    /// <returns>Whether the datagram may go on.</returns>
    public bool TryAcquire(IPAddress source, out RendezvousDropReason reason)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                reason = RendezvousDropReason.Stopped;
                return false;
            }

            if (!_sources.TryGetValue(source, out var entry))
            {
                if (_sources.Count >= _maxSources && !TryReplaceOne())
                {
                    reason = RendezvousDropReason.TooManySources;
                    return false;
                }

                entry = new Source { Tokens = _tokenLimit };
                _sources.Add(source, entry);
            }

            entry.LastSeen = _period;
            if (entry.Tokens == 0)
            {
                reason = RendezvousDropReason.RateLimited;
                return false;
            }

            entry.Tokens--;
            if (_globalTokens == 0)
            {
                reason = RendezvousDropReason.GlobalRateLimited;
                return false;
            }

            _globalTokens--;
            reason = default;
            return true;
        }
    }

    /// <summary>One replenishment period has passed: refill every bucket, and forget sources idle long enough.</summary>
    public void Tick()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _period++;
            _globalTokens = (int)Math.Min(_globalLimit, (long)_globalTokens + _globalPerPeriod);
            _replaceable.Clear();
            // Removing the current entry while enumerating a Dictionary is allowed (and keeps the sweep allocation-free).
            foreach (var (address, entry) in _sources)
            {
                entry.Tokens = (int)Math.Min(_tokenLimit, (long)entry.Tokens + _tokensPerPeriod);
                // A full bucket can be forgotten: a new one for the same source starts full, so nothing is gained.
                if (entry.Tokens == _tokenLimit)
                {
                    if (_period - entry.LastSeen >= _idlePeriods)
                    {
                        _sources.Remove(address);
                    }
                    else if (_sources.Count >= _maxSources)
                    {
                        _replaceable.Enqueue(address);
                    }
                }
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _sources.Clear();
            _replaceable.Clear();
        }
    }

    /// <summary>Forgets one source whose bucket was full at the last tick and has not been used since.</summary>
    private bool TryReplaceOne()
    {
        while (_replaceable.TryDequeue(out var candidate))
        {
            if (_sources.TryGetValue(candidate, out var entry) && entry.Tokens == _tokenLimit)
            {
                _sources.Remove(candidate);
                return true;
            }
        }

        return false;
    }

    private sealed class Source
    {
        public int Tokens { get; set; }

        public long LastSeen { get; set; }
    }
}
