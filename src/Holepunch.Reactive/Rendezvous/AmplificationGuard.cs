using System.Net;

namespace Holepunch.Reactive.Rendezvous;

/// <summary>
/// The anti-amplification budget (the 3× rule of QUIC, RFC 9000 §8): every byte the server sends is paid from credit
/// that bytes received earned, at <see cref="RendezvousServerOptions.AmplificationFactor"/> bytes per byte, so a
/// spoofed source can never make the server send a victim more than that factor times what the spoofer sent.
/// Used only on the server's scheduler.
/// </summary>
/// <remarks>
/// <para>
/// No address of the Godot protocol is ever validated (its client echoes nothing the server could check), so every
/// address stays under the budget for good. Credit earned by a source's requests pays:
/// </para>
/// <list type="bullet">
/// <item><description>replies to that source (a confirmation, an error, the joiner's handshake info);</description></item>
/// <item><description>the handshake info a join sends to the room's host: paid from the host's own credit (earned by
/// its registrations) when it has enough, else from the joiner's. A spoofed registration therefore gives its victim
/// only what the spoofer paid for, and a flood of joins at a spoofed room makes the server send the victim no more
/// than the factor times the joins' own bytes.</description></item>
/// </list>
/// <para>
/// A join is paid in full or refused whole: never only one side introduced. Credit is capped (so a long-lived source
/// cannot save up a burst), a source's entry is forgotten after <see cref="RendezvousServerOptions.SourceIdleTimeout"/>
/// without requests, and at most <see cref="RendezvousServerOptions.MaxSources"/> entries are kept: a request from a
/// source beyond that gets a one-off credit of its own size times the factor, which it can only spend at once.
/// </para>
/// </remarks>
internal sealed class AmplificationGuard
{
    /// <summary>How many full-size datagrams' worth of credit a source may save up.</summary>
    internal const int SavedDatagrams = 4;

    private readonly Dictionary<IPEndPoint, Credit> _credits = [];
    private readonly int _factor;
    private readonly long _creditLimit;
    private readonly int _maxEntries;
    private readonly long _idlePeriods;
    private readonly Credit _oneOff = new();
    private Credit _requester;
    private long _period;

    public AmplificationGuard(RendezvousServerOptions options)
    {
        _factor = options.AmplificationFactor;
        _creditLimit = (long)_factor * options.MaxDatagramSize * SavedDatagrams;
        _maxEntries = options.MaxSources;
        _idlePeriods = Math.Max(1, (long)Math.Ceiling(options.SourceIdleTimeout / options.SourceReplenishmentPeriod));
        _requester = _oneOff;
    }

    /// <summary>How many sources have saved credit.</summary>
    public int Count => _credits.Count;

    /// <summary>The credit <paramref name="endPoint"/> has saved (for tests and diagnostics).</summary>
    public long CreditOf(IPEndPoint endPoint) => _credits.TryGetValue(endPoint, out var credit) ? credit.Bytes : 0;

    /// <summary>A request of <paramref name="size"/> bytes from <paramref name="source"/> is about to be handled: it earns credit.</summary>
    public void BeginRequest(IPEndPoint source, int size)
    {
        if (!_credits.TryGetValue(source, out var credit))
        {
            if (_credits.Count < _maxEntries)
            {
                credit = new Credit();
                _credits.Add(source, credit);
            }
            else
            {
                // Nowhere to save it: this request's own credit, spendable only while it is handled.
                credit = _oneOff;
                credit.Bytes = 0;
            }
        }

        credit.LastSeen = _period;
        credit.Bytes = Math.Min(_creditLimit, credit.Bytes + ((long)size * _factor));
        _requester = credit;
    }

    /// <summary>Pays for a reply of <paramref name="bytes"/> to the source of the current request.</summary>
    /// <returns>Whether the reply may be sent; when it may, its cost is spent.</returns>
    public bool TryPayReply(int bytes)
    {
        if (_requester.Bytes < bytes)
        {
            return false;
        }

        _requester.Bytes -= bytes;
        return true;
    }

    /// <summary>
    /// Pays for a join's two datagrams: <paramref name="toJoiner"/> bytes to the joiner (the current request's source),
    /// and <paramref name="toHost"/> bytes to <paramref name="host"/>, from the host's credit if it has enough, else
    /// from the joiner's.
    /// </summary>
    /// <returns>Whether both may be sent; when they may, their cost is spent.</returns>
    public bool TryPayJoin(IPEndPoint host, int toHost, int toJoiner)
    {
        if (_credits.TryGetValue(host, out var hostCredit) && !ReferenceEquals(hostCredit, _requester) && hostCredit.Bytes >= toHost)
        {
            if (_requester.Bytes < toJoiner)
            {
                return false;
            }

            hostCredit.Bytes -= toHost;
            _requester.Bytes -= toJoiner;
            return true;
        }

        return TryPayReply(toHost + toJoiner);
    }

    /// <summary>One replenishment period has passed: forget sources idle for the idle timeout.</summary>
    public void Tick()
    {
        _period++;
        // Removing the current entry while enumerating a Dictionary is allowed.
        foreach (var (endPoint, credit) in _credits)
        {
            if (_period - credit.LastSeen >= _idlePeriods)
            {
                _credits.Remove(endPoint);
            }
        }
    }

    public void Clear()
    {
        _credits.Clear();
        _requester = _oneOff;
    }

    private sealed class Credit
    {
        public long Bytes { get; set; }

        public long LastSeen { get; set; }
    }
}
