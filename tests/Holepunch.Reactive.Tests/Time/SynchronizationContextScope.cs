namespace Holepunch.Reactive.Tests.Time;

/// <summary>
/// Sets the current thread's <see cref="SynchronizationContext"/> for a block and restores it after.
/// </summary>
/// <remarks>
/// A task completed on a thread that has a non-default context does not run even <c>ConfigureAwait(false)</c>
/// continuations inline: it queues them to the thread pool. xUnit gives every test thread such a context, so a test
/// that drives async code (Polly, <c>Task.Delay</c> over a <c>TimeProvider</c>) from <c>AdvanceBy</c> clears it first.
/// </remarks>
internal sealed class SynchronizationContextScope : IDisposable
{
    private readonly SynchronizationContext? _saved = SynchronizationContext.Current;

    private SynchronizationContextScope(SynchronizationContext? context) => SynchronizationContext.SetSynchronizationContext(context);

    public static SynchronizationContextScope None() => new(null);

    public static SynchronizationContextScope Of(SynchronizationContext context) => new(context);

    public void Dispose() => SynchronizationContext.SetSynchronizationContext(_saved);
}
