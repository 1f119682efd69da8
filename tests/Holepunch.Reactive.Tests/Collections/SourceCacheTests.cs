using Holepunch.Reactive.Collections;

namespace Holepunch.Reactive.Tests.Collections;

public sealed class SourceCacheTests : IDisposable
{
    private readonly SourceCache<Peer, string> _cache = new(p => p.Name);

    public void Dispose() => _cache.Dispose();

    [Fact]
    public void Connect_EmptyCache_EmitsNothingUntilAChange()
    {
        var log = Subscribe();
        Assert.Empty(log.Sets);

        _cache.AddOrUpdate(new Peer("a", 1));

        Assert.Equal(["Add a=1"], log.Sets);
    }

    [Fact]
    public void Connect_WithItems_EmitsTheCurrentStateFirstAsOneSetOfAdds_ThenChanges()
    {
        _cache.Edit(u =>
        {
            u.AddOrUpdate(new Peer("a", 1));
            u.AddOrUpdate(new Peer("b", 2));
        });

        var log = Subscribe();
        _cache.Remove("a");

        Assert.Equal(2, log.Sets.Count);
        Assert.Equal(["Add a=1", "Add b=2"], log.Sets[0].Split(", ").Order());
        Assert.Equal("Remove a=1", log.Sets[1]);
    }

    [Fact]
    public void Edit_SeveralChanges_ArePublishedAsOneChangeSet()
    {
        _cache.AddOrUpdate(new Peer("a", 1));
        _cache.AddOrUpdate(new Peer("gone", 0));
        var sets = new List<IChangeSet<Peer, string>>();
        using var subscription = _cache.Connect().Subscribe(sets.Add);
        sets.Clear();

        _cache.Edit(u =>
        {
            u.AddOrUpdate(new Peer("b", 2));
            u.AddOrUpdate(new Peer("a", 3));
            u.Remove("gone");
            u.Remove("never-there");
        });

        var set = Assert.Single(sets);
        Assert.Equal(["Add b=2", "Update a=3 (was 1)", "Remove gone=0"], set.Select(ChangeLog.Describe));
        Assert.Equal((1, 1, 1, 3), (set.Adds, set.Updates, set.Removes, set.Count));
        Assert.Equal("Update a=3 (was 1)", ChangeLog.Describe(set[1]));
        Assert.Equal("ChangeSet (adds 1, updates 1, removes 1)", set.ToString());
    }

    [Fact]
    public void Edit_ThatChangesNothing_PublishesNothing()
    {
        _cache.AddOrUpdate(new Peer("a", 1));
        var log = Subscribe();

        _cache.Edit(u => u.Remove("missing"));
        _cache.Remove("missing");
        _cache.Edit(_ => { });

        Assert.Equal(["Add a=1"], log.Sets);
    }

    [Fact]
    public void AddOrUpdate_ExistingKey_IsAnUpdateCarryingThePreviousItem()
    {
        var first = new Peer("a", 1);
        _cache.AddOrUpdate(first);
        var changes = new List<Change<Peer, string>>();
        using var subscription = _cache.Connect().Subscribe(set => changes.AddRange(set));

        _cache.AddOrUpdate(new Peer("a", 2));

        var update = changes[^1];
        Assert.Equal(ChangeReason.Update, update.Reason);
        Assert.Equal(new Peer("a", 2), update.Current);
        Assert.Same(first, update.Previous.Value);
        Assert.False(changes[0].Previous.HasValue);
    }

    [Fact]
    public void Remove_PresentKey_IsARemoveCarryingTheRemovedItem()
    {
        _cache.AddOrUpdate(new Peer("a", 1));
        var log = Subscribe();

        _cache.Remove("a");

        Assert.Equal(["Add a=1", "Remove a=1"], log.Sets);
        Assert.Equal(0, _cache.Count);
        Assert.False(_cache.Lookup("a").HasValue);
    }

    [Fact]
    public void Clear_RemovesEveryItemInOneChangeSet()
    {
        _cache.Edit(u =>
        {
            u.AddOrUpdate(new Peer("a", 1));
            u.AddOrUpdate(new Peer("b", 2));
        });
        var log = Subscribe();

        _cache.Clear();
        _cache.Clear();

        Assert.Equal(2, log.Sets.Count);
        Assert.Equal(["Remove a=1", "Remove b=2"], log.Sets[1].Split(", ").Order());
        Assert.Equal(0, _cache.Count);
    }

    [Fact]
    public void Snapshots_ReflectTheCurrentState()
    {
        _cache.AddOrUpdate(new Peer("a", 1));
        _cache.AddOrUpdate(new Peer("b", 2));
        _cache.AddOrUpdate(new Peer("a", 3));

        Assert.Equal(2, _cache.Count);
        Assert.Equal(["a", "b"], _cache.Keys.Order());
        Assert.Equal([new Peer("a", 3), new Peer("b", 2)], _cache.Items.OrderBy(p => p.Name));
        Assert.Equal(new Peer("a", 3), _cache.Lookup("a").Value);
        Assert.Equal(Optional<Peer>.None, _cache.Lookup("z"));
    }

    [Fact]
    public void Updater_Lookup_SeesTheBatchSoFar()
    {
        _cache.AddOrUpdate(new Peer("a", 1));
        var seen = new List<string>();

        _cache.Edit(u =>
        {
            u.AddOrUpdate(new Peer("b", 2));
            seen.Add($"{u.Lookup("a")} {u.Lookup("b")}");
            u.Remove("a");
            seen.Add($"{u.Lookup("a")}");
            u.Clear();
            seen.Add($"{u.Lookup("b")}");
        });

        Assert.Equal(["Some(Peer { Name = a, Score = 1 }) Some(Peer { Name = b, Score = 2 })", "None", "None"], seen);
    }

    [Fact]
    public void ConnectFiltered_StartsWithOnlyTheMatchingItems()
    {
        _cache.Edit(u =>
        {
            u.AddOrUpdate(new Peer("low", 1));
            u.AddOrUpdate(new Peer("high", 10));
        });

        var log = Subscribe(p => p.Score >= 5);

        Assert.Equal(["Add high=10"], log.Sets);
    }

    [Fact]
    public void ConnectFiltered_UpdatesThatEnterOrLeaveTheFilter_BecomeAddsAndRemoves()
    {
        _cache.Edit(u =>
        {
            u.AddOrUpdate(new Peer("a", 1));
            u.AddOrUpdate(new Peer("b", 10));
        });
        var log = Subscribe(p => p.Score >= 5);

        _cache.AddOrUpdate(new Peer("a", 7));   // enters
        _cache.AddOrUpdate(new Peer("b", 2));   // leaves
        _cache.AddOrUpdate(new Peer("a", 8));   // stays in
        _cache.AddOrUpdate(new Peer("b", 3));   // stays out
        _cache.AddOrUpdate(new Peer("c", 0));   // added outside
        _cache.Remove("c");                     // removed outside
        _cache.Remove("a");                     // removed inside

        Assert.Equal(["Add b=10", "Add a=7", "Remove b=10", "Update a=8 (was 7)", "Remove a=8"], log.Sets);
    }

    [Fact]
    public void ConnectFiltered_OneEditAcrossTheFilter_IsOneFilteredChangeSet()
    {
        _cache.AddOrUpdate(new Peer("a", 1));
        var log = Subscribe(p => p.Score >= 5);

        _cache.Edit(u =>
        {
            u.AddOrUpdate(new Peer("a", 9));
            u.AddOrUpdate(new Peer("b", 1));
            u.AddOrUpdate(new Peer("c", 6));
        });

        Assert.Equal(["Add a=9, Add c=6"], log.Sets);
    }

    [Fact]
    public void Watch_PresentKey_StartsWithItsAddThenFollowsOnlyThatKey()
    {
        _cache.AddOrUpdate(new Peer("a", 1));
        _cache.AddOrUpdate(new Peer("b", 1));
        var changes = new List<string>();
        using var subscription = _cache.Watch("a").Subscribe(c => changes.Add(ChangeLog.Describe(c)));

        _cache.AddOrUpdate(new Peer("b", 2));
        _cache.AddOrUpdate(new Peer("a", 2));
        _cache.Remove("a");
        _cache.AddOrUpdate(new Peer("a", 3));

        Assert.Equal(["Add a=1", "Update a=2 (was 1)", "Remove a=2", "Add a=3"], changes);
    }

    [Fact]
    public void Watch_MissingKey_EmitsNothingUntilItIsAdded()
    {
        var changes = new List<string>();
        using var subscription = _cache.Watch("a").Subscribe(c => changes.Add(ChangeLog.Describe(c)));

        _cache.AddOrUpdate(new Peer("b", 1));
        Assert.Empty(changes);

        _cache.AddOrUpdate(new Peer("a", 1));

        Assert.Equal(["Add a=1"], changes);
    }

    [Fact]
    public void Watch_CacheWithAKeyComparer_UsesThatComparer()
    {
        using var cache = new SourceCache<Peer, string>(p => p.Name, StringComparer.OrdinalIgnoreCase);
        var changes = new List<string>();
        using var subscription = cache.Watch("A").Subscribe(c => changes.Add(ChangeLog.Describe(c)));

        cache.AddOrUpdate(new Peer("a", 1));
        cache.AddOrUpdate(new Peer("A", 2));

        Assert.Equal(["Add a=1", "Update A=2 (was 1)"], changes);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void Unsubscribe_StopsDelivery()
    {
        var log = new ChangeLog();
        var subscription = _cache.Connect().Subscribe(log);

        _cache.AddOrUpdate(new Peer("a", 1));
        subscription.Dispose();
        _cache.AddOrUpdate(new Peer("b", 1));

        Assert.Equal(["Add a=1"], log.Sets);
    }

    [Fact]
    public void Dispose_CompletesEverySubscriber_AndRefusesEdits()
    {
        var cache = new SourceCache<Peer, string>(p => p.Name);
        cache.AddOrUpdate(new Peer("a", 1));
        var all = new ChangeLog();
        var filtered = new ChangeLog();
        cache.Connect().Subscribe(all);
        cache.Connect(p => p.Score > 100).Subscribe(filtered);

        cache.Dispose();
        cache.Dispose();

        Assert.True(all.Completed);
        Assert.True(filtered.Completed);
        Assert.Throws<ObjectDisposedException>(() => cache.AddOrUpdate(new Peer("b", 1)));
        Assert.Throws<ObjectDisposedException>(() => cache.Edit(_ => { }));
    }

    [Fact]
    public void Connect_AfterDispose_CompletesAtOnce()
    {
        var cache = new SourceCache<Peer, string>(p => p.Name);
        cache.AddOrUpdate(new Peer("a", 1));
        cache.Dispose();
        var log = new ChangeLog();

        cache.Connect().Subscribe(log);

        Assert.True(log.Completed);
        Assert.Empty(log.Sets);
    }

    [Fact]
    public void SubscriberThatEditsDuringNotification_EverySubscriberSeesTheSameOrder()
    {
        var first = new ChangeLog();
        var second = new ChangeLog();
        first.OnEach = set =>
        {
            if (set.Any(c => c.Key == "a" && c.Reason == ChangeReason.Add))
            {
                _cache.AddOrUpdate(new Peer("b", 2));
                _cache.Edit(u => u.AddOrUpdate(new Peer("a", 5)));
            }
        };
        using var s1 = _cache.Connect().Subscribe(first);
        using var s2 = _cache.Connect().Subscribe(second);

        _cache.AddOrUpdate(new Peer("a", 1));

        string[] expected = ["Add a=1", "Add b=2", "Update a=5 (was 1)"];
        Assert.Equal(expected, first.Sets);
        Assert.Equal(expected, second.Sets);
    }

    [Fact]
    public void SubscriberThatConnectsDuringNotification_SeesEachItemOnce()
    {
        var late = new ChangeLog();
        IDisposable? lateSubscription = null;
        var first = new ChangeLog
        {
            OnEach = set =>
            {
                if (lateSubscription is null)
                {
                    // The edit is queued behind the set being delivered, but already in the cache's state.
                    _cache.AddOrUpdate(new Peer("b", 2));
                    lateSubscription = _cache.Connect().Subscribe(late);
                }
            },
        };
        using var s1 = _cache.Connect().Subscribe(first);

        _cache.AddOrUpdate(new Peer("a", 1));
        _cache.AddOrUpdate(new Peer("c", 3));
        lateSubscription?.Dispose();

        Assert.Equal(["Add a=1", "Add b=2", "Add c=3"], first.Sets);
        Assert.Equal(["Add a=1, Add b=2", "Add c=3"], late.Sets.Select(s => string.Join(", ", s.Split(", ").Order())));
    }

    [Fact]
    public void SubscriberThatDisposesTheCacheDuringNotification_NobodyHearsAnythingAfterCompletion()
    {
        var cache = new SourceCache<Peer, string>(p => p.Name);
        var first = new ChangeLog
        {
            OnEach = _ =>
            {
                cache.AddOrUpdate(new Peer("queued", 0));
                cache.Dispose();
            },
        };
        var second = new ChangeLog();
        cache.Connect().Subscribe(first);
        cache.Connect().Subscribe(second);

        cache.AddOrUpdate(new Peer("a", 1));

        Assert.True(first.Completed);
        Assert.True(second.Completed);
        Assert.Empty(first.AfterCompletion);
        Assert.Empty(second.AfterCompletion);
        Assert.Equal(["Add a=1"], first.Sets);
    }

    [Fact]
    public void EditThatThrows_ChangesMadeBeforeTheThrowAreStillPublished()
    {
        var log = Subscribe();

        Assert.Throws<InvalidOperationException>(() => _cache.Edit(u =>
        {
            u.AddOrUpdate(new Peer("a", 1));
            throw new InvalidOperationException("midway");
        }));

        Assert.Equal(1, _cache.Count);
        Assert.Equal(["Add a=1"], log.Sets);
    }

    [Fact]
    public void NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new SourceCache<Peer, string>(null!));
        Assert.Throws<ArgumentNullException>(() => _cache.Edit(null!));
        Assert.NotNull(_cache.KeySelector);
    }

    [Fact]
    public void Optional_BehavesAsDynamicDatas()
    {
        Assert.False(Optional<int>.None.HasValue);
        Assert.Equal(0, Optional<int>.Some(0).Value);
        Assert.Equal(7, Optional<int>.None.ValueOr(7));
        Assert.Equal("Some(3)", Optional<int>.Some(3).ToString());
        Assert.Equal("None", Optional<int>.None.ToString());
        Assert.Throws<InvalidOperationException>(() => Optional<int>.None.Value);
    }

    private ChangeLog Subscribe(Func<Peer, bool>? predicate = null)
    {
        var log = new ChangeLog();
        _cache.Connect(predicate).Subscribe(log);
        return log;
    }
}
