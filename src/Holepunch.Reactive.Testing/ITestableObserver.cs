using System.Reactive;

namespace Holepunch.Reactive.Testing;

/// <summary>An observer that records what it sees with virtual timestamps.</summary>
/// <typeparam name="T">The element type.</typeparam>
public interface ITestableObserver<T> : IObserver<T>
{
    /// <summary>Every notification so far, with the virtual time it arrived.</summary>
    IList<Recorded<Notification<T>>> Messages { get; }
}
