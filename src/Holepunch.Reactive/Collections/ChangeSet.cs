namespace Holepunch.Reactive.Collections;

internal sealed class ChangeSet<TObject, TKey>(List<Change<TObject, TKey>> changes) : IChangeSet<TObject, TKey>
    where TKey : notnull
{
    public int Count => changes.Count;

    public int Adds => CountOf(ChangeReason.Add);

    public int Updates => CountOf(ChangeReason.Update);

    public int Removes => CountOf(ChangeReason.Remove);

    public Change<TObject, TKey> this[int index] => changes[index];

    public IEnumerator<Change<TObject, TKey>> GetEnumerator() => changes.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"ChangeSet (adds {Adds}, updates {Updates}, removes {Removes})";

    private int CountOf(ChangeReason reason)
    {
        var count = 0;
        foreach (var change in changes)
        {
            count += change.Reason == reason ? 1 : 0;
        }

        return count;
    }
}
