namespace Holepunch.Reactive.Collections;

/// <summary>A value that may be absent, including for value types (as DynamicData's <c>Optional&lt;T&gt;</c>).</summary>
/// <typeparam name="T">The value's type.</typeparam>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716", Justification = "Named as DynamicData's type, so moving to the package is a using change.")]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000", Justification = "DynamicData's shape: Optional<T>.None and Optional<T>.Some.")]
public readonly record struct Optional<T>
{
    private readonly T _value;

    private Optional(T value)
    {
        _value = value;
        HasValue = true;
    }

    /// <summary>The absent value.</summary>
    public static Optional<T> None => default;

    /// <summary>Whether a value is present.</summary>
    public bool HasValue { get; }

    /// <summary>The value.</summary>
    /// <exception cref="InvalidOperationException">No value is present.</exception>
    public T Value => HasValue ? _value : throw new InvalidOperationException("The optional has no value.");

    /// <summary>A present value.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The optional.</returns>
    public static Optional<T> Some(T value) => new(value);

    /// <summary>The value, or <paramref name="fallback"/> when absent.</summary>
    /// <param name="fallback">What to return when absent.</param>
    /// <returns>The value or the fallback.</returns>
    public T ValueOr(T fallback) => HasValue ? _value : fallback;

    /// <inheritdoc/>
    public override string ToString() => HasValue ? $"Some({_value})" : "None";
}
