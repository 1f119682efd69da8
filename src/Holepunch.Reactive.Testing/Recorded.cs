namespace Holepunch.Reactive.Testing;

/// <summary>A value and the virtual time it was recorded at (as in Microsoft.Reactive.Testing).</summary>
/// <typeparam name="T">The recorded value's type, usually a <see cref="System.Reactive.Notification{T}"/>.</typeparam>
/// <param name="Time">The virtual time in ticks.</param>
/// <param name="Value">The value.</param>
public readonly record struct Recorded<T>(long Time, T Value)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Value}@{Time}";
}
