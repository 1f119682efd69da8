namespace Holepunch.Reactive.Rendezvous;

/// <summary>
/// Running totals of a <see cref="RendezvousServer"/>, for tests and diagnostics (the same events are published as
/// metrics on the <c>Holepunch.Reactive.Rendezvous</c> meter). Safe to read from any thread.
/// </summary>
public sealed class RendezvousServerCounters
{
    private static readonly int ReasonCount = Enum.GetValues<RendezvousDropReason>().Length + 1;

    private readonly long[] _dropped = new long[ReasonCount];
    private long _datagramsReceived;
    private long _datagramsSent;
    private long _sendFailures;
    private long _registrations;
    private long _refreshes;
    private long _expirations;
    private long _joins;
    private long _errorsSent;
    private long _natProbes;

    internal RendezvousServerCounters()
    {
    }

    /// <summary>Datagrams that reached the server, before any admission check.</summary>
    public long DatagramsReceived => Volatile.Read(ref _datagramsReceived);

    /// <summary>Datagrams the server handed to the transport.</summary>
    public long DatagramsSent => Volatile.Read(ref _datagramsSent);

    /// <summary>Replies the transport could not send.</summary>
    public long SendFailures => Volatile.Read(ref _sendFailures);

    /// <summary>New rooms registered.</summary>
    public long Registrations => Volatile.Read(ref _registrations);

    /// <summary>Registrations refreshed by their own host.</summary>
    public long Refreshes => Volatile.Read(ref _refreshes);

    /// <summary>Registrations removed because they were not refreshed in time.</summary>
    public long Expirations => Volatile.Read(ref _expirations);

    /// <summary>Joins that introduced a joiner to a host.</summary>
    public long Joins => Volatile.Read(ref _joins);

    /// <summary><c>server-error</c> replies sent.</summary>
    public long ErrorsSent => Volatile.Read(ref _errorsSent);

    /// <summary><c>nat-probe</c> requests answered, on the main or the diagnostics transport.</summary>
    public long NatProbesAnswered => Volatile.Read(ref _natProbes);

    /// <summary>The relay's totals: relays opened and closed, datagrams and bytes relayed, refusals by reason.</summary>
    public RelayCounters Relay { get; } = new();

    /// <summary>Datagrams dropped without a reply, for every reason.</summary>
    public long TotalDropped
    {
        get
        {
            long total = 0;
            for (var i = 0; i < _dropped.Length; i++)
            {
                total += Volatile.Read(ref _dropped[i]);
            }

            return total;
        }
    }

    /// <summary>Datagrams dropped without a reply for <paramref name="reason"/>.</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>The count; zero for an undefined reason.</returns>
    public long Dropped(RendezvousDropReason reason) =>
        (uint)reason < (uint)_dropped.Length ? Volatile.Read(ref _dropped[(int)reason]) : 0;

    /// <inheritdoc/>
    public override string ToString() =>
        $"in {DatagramsReceived}, out {DatagramsSent}, registrations {Registrations}, refreshes {Refreshes}, " +
        $"expirations {Expirations}, joins {Joins}, errors {ErrorsSent}, dropped {TotalDropped}, " +
        $"NAT probes {NatProbesAnswered}, {Relay}";

    internal void OnReceived() => Interlocked.Increment(ref _datagramsReceived);

    internal void OnSent() => Interlocked.Increment(ref _datagramsSent);

    internal void OnSendFailed() => Interlocked.Increment(ref _sendFailures);

    internal void OnRegistered() => Interlocked.Increment(ref _registrations);

    internal void OnRefreshed() => Interlocked.Increment(ref _refreshes);

    internal void OnExpired() => Interlocked.Increment(ref _expirations);

    internal void OnJoined() => Interlocked.Increment(ref _joins);

    internal void OnErrorSent() => Interlocked.Increment(ref _errorsSent);

    internal void OnNatProbeAnswered() => Interlocked.Increment(ref _natProbes);

    internal void OnDropped(RendezvousDropReason reason) => Interlocked.Increment(ref _dropped[(int)reason]);
}
