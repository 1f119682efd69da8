namespace Holepunch.Reactive.Testing.Network;

/// <summary>
/// Counters of a <see cref="VirtualNetwork"/>: datagrams sent, duplicated, delivered and dropped by reason. Every
/// datagram and duplicate ends in exactly one <see cref="DatagramOutcome"/>, so
/// <c>Sent + Duplicated == Delivered + Dropped + InFlight</c>.
/// </summary>
public sealed class NetworkStatistics
{
    private readonly long[] _outcomes = new long[Enum.GetValues<DatagramOutcome>().Length];

    internal NetworkStatistics()
    {
    }

    /// <summary>Gets the number of <see cref="Transport.IDatagramTransport.Send"/> calls, accepted or not.</summary>
    public long Sent { get; private set; }

    /// <summary>Gets the number of extra copies links made (<see cref="LinkOptions.Duplication"/>).</summary>
    public long Duplicated { get; private set; }

    /// <summary>Gets the number of datagrams handed to a bound transport.</summary>
    public long Delivered => _outcomes[(int)DatagramOutcome.Delivered];

    /// <summary>Gets the number of datagrams dropped for any reason.</summary>
    public long Dropped => Sent + Duplicated - InFlight - Delivered;

    /// <summary>Gets the number of datagrams still on their way.</summary>
    public long InFlight { get; private set; }

    /// <summary>Gets how many datagrams ended with <paramref name="outcome"/>.</summary>
    /// <param name="outcome">The outcome (<see cref="DatagramOutcome.Delivered"/> or a drop reason).</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="outcome"/> is not a defined value.</exception>
    public long Count(DatagramOutcome outcome)
    {
        if ((uint)outcome >= (uint)_outcomes.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Not a defined outcome.");
        }

        return _outcomes[(int)outcome];
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var parts = new List<string> { $"Sent={Sent}", $"Duplicated={Duplicated}", $"InFlight={InFlight}" };
        foreach (var outcome in Enum.GetValues<DatagramOutcome>())
        {
            if (_outcomes[(int)outcome] != 0)
            {
                parts.Add($"{outcome}={_outcomes[(int)outcome]}");
            }
        }

        return string.Join(", ", parts);
    }

    internal void RecordSent()
    {
        Sent++;
        InFlight++;
    }

    internal void RecordDuplicate()
    {
        Duplicated++;
        InFlight++;
    }

    internal void Record(DatagramOutcome outcome)
    {
        _outcomes[(int)outcome]++;
        InFlight--;
    }
}
