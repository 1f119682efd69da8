namespace Holepunch.Reactive.Rendezvous;

/// <summary>
/// Running totals of the rendezvous server's relay (see <see cref="RelayOptions"/>), for tests and diagnostics; the same
/// events are published as metrics on the <c>Holepunch.Reactive.Rendezvous</c> meter. Safe to read from any thread.
/// </summary>
public sealed class RelayCounters
{
    private static readonly int ReasonCount = Enum.GetValues<RelayRefusalReason>().Length + 1;

    private readonly long[] _refused = new long[ReasonCount];
    private long _opened;
    private long _closed;
    private long _datagrams;
    private long _bytes;
    private long _refusalsSent;

    internal RelayCounters()
    {
    }

    /// <summary>Relays opened (introductions that carried a new token).</summary>
    public long Opened => Volatile.Read(ref _opened);

    /// <summary>Relays closed by their idle timeout or maximum duration.</summary>
    public long Closed => Volatile.Read(ref _closed);

    /// <summary>Relays open now.</summary>
    public long Active => Opened - Closed;

    /// <summary>Relay datagrams forwarded.</summary>
    public long DatagramsRelayed => Volatile.Read(ref _datagrams);

    /// <summary>Bytes forwarded (whole forwarded datagrams).</summary>
    public long BytesRelayed => Volatile.Read(ref _bytes);

    /// <summary><c>relay-refused</c> replies sent (at most one a second to a source; see <see cref="RelayOptions.RefusalInterval"/>).</summary>
    public long RefusalsSent => Volatile.Read(ref _refusalsSent);

    /// <summary>Refusals for every reason.</summary>
    public long TotalRefused
    {
        get
        {
            long total = 0;
            for (var i = 0; i < _refused.Length; i++)
            {
                total += Volatile.Read(ref _refused[i]);
            }

            return total;
        }
    }

    /// <summary>Relay datagrams not forwarded (or introductions without a relay) for <paramref name="reason"/>.</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>The count; zero for an undefined reason.</returns>
    public long Refused(RelayRefusalReason reason) =>
        (uint)reason < (uint)_refused.Length ? Volatile.Read(ref _refused[(int)reason]) : 0;

    /// <inheritdoc/>
    public override string ToString() =>
        $"relays {Active} open, {Opened} opened, {DatagramsRelayed} datagrams, {BytesRelayed} bytes, {TotalRefused} refused";

    internal void OnOpened() => Interlocked.Increment(ref _opened);

    internal void OnClosed() => Interlocked.Increment(ref _closed);

    internal void OnRelayed(int bytes)
    {
        Interlocked.Increment(ref _datagrams);
        Interlocked.Add(ref _bytes, bytes);
    }

    internal void OnRefused(RelayRefusalReason reason) => Interlocked.Increment(ref _refused[(int)reason]);

    internal void OnRefusalSent() => Interlocked.Increment(ref _refusalsSent);
}
