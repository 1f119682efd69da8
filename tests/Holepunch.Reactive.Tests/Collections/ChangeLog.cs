using Holepunch.Reactive.Collections;

namespace Holepunch.Reactive.Tests.Collections;

/// <summary>Records change sets as short strings (<c>Add a=1</c>, <c>Update a=2 (was 1)</c>, <c>Remove a=1</c>), one line per change set.</summary>
internal sealed class ChangeLog : IObserver<IChangeSet<Peer, string>>
{
    public List<string> Sets { get; } = [];

    public bool Completed { get; private set; }

    public List<string> AfterCompletion { get; } = [];

    public Action<IChangeSet<Peer, string>>? OnEach { get; set; }

    public static string Describe(Change<Peer, string> change) => change.Reason switch
    {
        ChangeReason.Update => $"Update {change.Key}={change.Current.Score} (was {change.Previous.Value.Score})",
        _ when change.Previous.HasValue => $"{change.Reason} {change.Key}={change.Current.Score} (previous set!)",
        _ => $"{change.Reason} {change.Key}={change.Current.Score}",
    };

    public static string Describe(IChangeSet<Peer, string> changes) => string.Join(", ", changes.Select(Describe));

    public void OnNext(IChangeSet<Peer, string> value)
    {
        (Completed ? AfterCompletion : Sets).Add(Describe(value));
        OnEach?.Invoke(value);
    }

    public void OnError(Exception error) => throw new InvalidOperationException("The cache never errors.", error);

    public void OnCompleted() => Completed = true;
}
