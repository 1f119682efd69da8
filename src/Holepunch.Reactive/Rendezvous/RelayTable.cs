using System.Collections.Concurrent;
using System.Net;
using System.Reactive.Concurrency;
using Microsoft.Extensions.Logging;

namespace Holepunch.Reactive.Rendezvous;

/// <summary>
/// The open relays, by token and by pair, with the caps of <see cref="RelayOptions"/> and each relay's expiry timer on
/// the server's scheduler. Changed only on the scheduler; <see cref="IsRelayEndPoint"/> alone is read from the receive
/// thread (admission), from a concurrent set.
/// </summary>
/// <remarks>
/// A relay is opened only once its introductions were sent (<see cref="Open"/>), and a second introduction of the same
/// pair (same names, same endpoints) gets the same relay back (<see cref="Find(string, IPEndPoint, string, IPEndPoint)"/>),
/// so repeated joins cannot use up the caps. Closed relays leave their token behind, up to <see cref="RelayOptions.MaxRelays"/>
/// of them, so that a late datagram is told <c>relay expired</c> rather than <c>unknown relay</c>.
/// </remarks>
internal sealed class RelayTable : IDisposable
{
    private readonly IScheduler _scheduler;
    private readonly RelayOptions _options;
    private readonly RelayMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Dictionary<string, RelayPair> _byToken = new(StringComparer.Ordinal);
    private readonly Dictionary<PairKey, RelayPair> _byPair = [];
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    private readonly ConcurrentDictionary<IPEndPoint, int> _endPoints = new();
    private readonly HashSet<string> _closed = new(StringComparer.Ordinal);
    private readonly Queue<string> _closedOrder = new();
    private readonly TimeSpan _firstCheck;
    private int _count;
    private bool _disposed;

    public RelayTable(IScheduler scheduler, RelayOptions options, RelayMetrics metrics, ILogger logger)
    {
        _scheduler = scheduler;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _firstCheck = options.IdleTimeout < options.MaxDuration ? options.IdleTimeout : options.MaxDuration;
    }

    /// <summary>Whether relays may be opened at all.</summary>
    public bool Enabled => _options.Enabled;

    /// <summary>How many relays are open (read by the metrics gauge from any thread).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Whether <paramref name="endPoint"/> is a side of an open relay (any thread).</summary>
    public bool IsRelayEndPoint(IPEndPoint endPoint) => !_endPoints.IsEmpty && _endPoints.ContainsKey(endPoint);

    /// <summary>The relay of exactly this pair, if open.</summary>
    public RelayPair? Find(string hostName, IPEndPoint host, string joinerName, IPEndPoint joiner) =>
        _byPair.GetValueOrDefault(new PairKey(hostName, host, joinerName, joiner));

    /// <summary>The relay a token names.</summary>
    /// <param name="token">The token.</param>
    /// <param name="pair">The open relay, when there is one.</param>
    /// <returns><see langword="null"/> when open; otherwise why not (<see cref="RelayRefusalReason.RelayExpired"/> or <see cref="RelayRefusalReason.UnknownRelay"/>).</returns>
    public RelayRefusalReason? Find(string token, out RelayPair? pair)
    {
        if (_byToken.TryGetValue(token, out pair))
        {
            return null;
        }

        return _closed.Contains(token) ? RelayRefusalReason.RelayExpired : RelayRefusalReason.UnknownRelay;
    }

    /// <summary>Whether one more relay between these addresses fits under the caps.</summary>
    public bool HasRoomFor(IPAddress host, IPAddress joiner)
    {
        if (_byToken.Count >= _options.MaxRelays)
        {
            return false;
        }

        var max = _options.MaxRelaysPerAddress;
        return host.Equals(joiner)
            ? _perAddress.GetValueOrDefault(host) + 2 <= max
            : _perAddress.GetValueOrDefault(host) < max && _perAddress.GetValueOrDefault(joiner) < max;
    }

    /// <summary>Opens a relay whose token the introductions just carried (the caller checked <see cref="HasRoomFor"/>).</summary>
    public RelayPair Open(string token, RelaySide host, RelaySide joiner)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var pair = new RelayPair(token, host, joiner, _scheduler.Now);
        _byToken.Add(token, pair);
        _byPair.Add(KeyOf(pair), pair);
        Adjust(host.EndPoint, +1);
        Adjust(joiner.EndPoint, +1);
        Interlocked.Increment(ref _count);
        pair.Timer = _scheduler.Schedule((Table: this, Pair: pair), _firstCheck, static (_, state) => state.Table.Check(state.Pair));
        _metrics.Opened();
        RelayLog.Opened(_logger, host.Name, host.EndPoint, joiner.Name, joiner.EndPoint);
        return pair;
    }

    /// <summary>A side sent a relay datagram, or the pair was introduced again: the idle timeout starts over.</summary>
    public void Touch(RelayPair pair) => pair.LastActivity = _scheduler.Now;

    public void Dispose()
    {
        _disposed = true;
        foreach (var pair in _byToken.Values)
        {
            pair.Timer?.Dispose();
        }

        _byToken.Clear();
        _byPair.Clear();
        _perAddress.Clear();
        _endPoints.Clear();
        _closed.Clear();
        _closedOrder.Clear();
        Volatile.Write(ref _count, 0);
    }

    private IDisposable Check(RelayPair pair)
    {
        if (_disposed || !_byToken.ContainsKey(pair.Token))
        {
            return System.Reactive.Disposables.Disposable.Empty;
        }

        var now = _scheduler.Now;
        var closesAt = pair.OpenedAt + _options.MaxDuration;
        var idleAt = pair.LastActivity + _options.IdleTimeout;
        if (now >= closesAt)
        {
            Close(pair, RelayCloseReason.Duration);
        }
        else if (now >= idleAt)
        {
            Close(pair, RelayCloseReason.Idle);
        }
        else
        {
            // Busy since the last check: look again when the earlier of the two deadlines comes.
            var next = (idleAt < closesAt ? idleAt : closesAt) - now;
            pair.Timer = _scheduler.Schedule((Table: this, Pair: pair), next, static (_, state) => state.Table.Check(state.Pair));
        }

        return System.Reactive.Disposables.Disposable.Empty;
    }

    private void Close(RelayPair pair, RelayCloseReason reason)
    {
        _byToken.Remove(pair.Token);
        _byPair.Remove(KeyOf(pair));
        Adjust(pair.Host.EndPoint, -1);
        Adjust(pair.Joiner.EndPoint, -1);
        Interlocked.Decrement(ref _count);
        Remember(pair.Token);
        _metrics.Closed(reason);
        RelayLog.Closed(_logger, pair.Host.Name, pair.Joiner.Name, reason, _scheduler.Now - pair.OpenedAt);
    }

    private void Remember(string token)
    {
        if (_closedOrder.Count >= _options.MaxRelays && _closedOrder.TryDequeue(out var oldest))
        {
            _closed.Remove(oldest);
        }

        if (_closed.Add(token))
        {
            _closedOrder.Enqueue(token);
        }
    }

    private void Adjust(IPEndPoint endPoint, int delta)
    {
        var address = endPoint.Address;
        var perAddress = _perAddress.GetValueOrDefault(address) + delta;
        if (perAddress <= 0)
        {
            _perAddress.Remove(address);
        }
        else
        {
            _perAddress[address] = perAddress;
        }

        // Only this thread writes the set; the receive thread only reads it.
        var uses = _endPoints.GetValueOrDefault(endPoint) + delta;
        if (uses <= 0)
        {
            _endPoints.TryRemove(endPoint, out _);
        }
        else
        {
            _endPoints[endPoint] = uses;
        }
    }

    private static PairKey KeyOf(RelayPair pair) => new(pair.Host.Name, pair.Host.EndPoint, pair.Joiner.Name, pair.Joiner.EndPoint);

    private readonly record struct PairKey(string HostName, IPEndPoint Host, string JoinerName, IPEndPoint Joiner);
}
