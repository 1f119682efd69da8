namespace Holepunch.Reactive.Testing.Network;

/// <summary>
/// The behaviour of a host's access link in a <see cref="VirtualNetwork"/>. A datagram crosses the sender's link and
/// then the receiver's link: the delays add up and each link may lose, duplicate or hold back the datagram. NAT boxes
/// add no delay. The defaults describe a perfect link: no delay, no loss.
/// </summary>
public sealed record LinkOptions
{
    /// <summary>Gets the fixed one-way delay of the link.</summary>
    /// <value>The default value is zero (delivery on the scheduler's next tick).</value>
    public TimeSpan Latency { get; init; }

    /// <summary>Gets the largest extra delay: each datagram gets a seeded uniform extra delay in [0, <see cref="Jitter"/>).</summary>
    /// <value>The default value is zero.</value>
    public TimeSpan Jitter { get; init; }

    /// <summary>Gets the probability, in [0, 1], that the link loses a datagram.</summary>
    /// <value>The default value is 0.</value>
    public double Loss { get; init; }

    /// <summary>Gets the probability, in [0, 1], that the link delivers a datagram twice (each copy with its own delay).</summary>
    /// <value>The default value is 0.</value>
    public double Duplication { get; init; }

    /// <summary>
    /// Gets the probability, in [0, 1], that the link holds a datagram back by <see cref="ReorderDelay"/>, so that
    /// datagrams sent after it overtake it.
    /// </summary>
    /// <value>The default value is 0.</value>
    public double Reordering { get; init; }

    /// <summary>Gets the extra delay of a datagram chosen for <see cref="Reordering"/>.</summary>
    /// <value>The default value is 20 milliseconds.</value>
    public TimeSpan ReorderDelay { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Throws one exception listing every invalid value.</summary>
    /// <param name="parameterName">The parameter the options came from.</param>
    internal void Validate(string parameterName)
    {
        var errors = new List<string>();
        CheckDelay(errors, nameof(Latency), Latency);
        CheckDelay(errors, nameof(Jitter), Jitter);
        CheckDelay(errors, nameof(ReorderDelay), ReorderDelay);
        CheckProbability(errors, nameof(Loss), Loss);
        CheckProbability(errors, nameof(Duplication), Duplication);
        CheckProbability(errors, nameof(Reordering), Reordering);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid link options: " + string.Join(" ", errors), parameterName);
        }
    }

    private static void CheckDelay(List<string> errors, string name, TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            errors.Add($"{name} must not be negative (was {value}).");
        }
    }

    private static void CheckProbability(List<string> errors, string name, double value)
    {
        if (!(value >= 0 && value <= 1))
        {
            errors.Add($"{name} must be in [0, 1] (was {value}).");
        }
    }
}
