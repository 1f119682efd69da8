using Holepunch.Reactive.Collections;
using Holepunch.Reactive.Testing;

namespace Holepunch.Reactive.Tests.Collections;

public sealed class SourceCacheExpiryTests : IDisposable
{
    private readonly TestScheduler _scheduler = new();
    private readonly SourceCache<Peer, string> _cache = new(p => p.Name);
    private readonly List<(long At, string Expired)> _expired = [];
    private readonly ChangeLog _log = new();
    private readonly List<long> _removedAt = [];

    public SourceCacheExpiryTests()
    {
        // Score is the item's lifetime in seconds; a negative score means "never".
        _cache.Connect().Subscribe(_log);
        _cache.Connect().Subscribe(set => _removedAt.AddRange(set.Where(c => c.Reason == ChangeReason.Remove).Select(_ => _scheduler.Clock)));
    }

    public void Dispose() => _cache.Dispose();

    [Fact]
    public void ItemAdded_IsRemovedAtExactlyItsTime()
    {
        using var expiry = Expire();
        _cache.AddOrUpdate(new Peer("a", 10));

        _scheduler.AdvanceBy(Seconds(10) - 1);
        Assert.Equal(1, _cache.Count);

        _scheduler.AdvanceBy(1);

        Assert.Equal(0, _cache.Count);
        Assert.Equal([(Seconds(10), "a=10")], _expired);
        Assert.Equal([Seconds(10)], _removedAt);
        Assert.Equal(["Add a=10", "Remove a=10"], _log.Sets);
    }

    [Fact]
    public void ItemIsUpdatedBeforeExpiration_ExpirationRestartsFromTheUpdate()
    {
        using var expiry = Expire();
        _cache.AddOrUpdate(new Peer("a", 10));
        _scheduler.AdvanceBy(Seconds(6));

        _cache.AddOrUpdate(new Peer("a", 10));
        _scheduler.AdvanceBy(Seconds(9));
        Assert.Equal(1, _cache.Count);

        _scheduler.AdvanceBy(Seconds(1));

        Assert.Equal([(Seconds(16), "a=10")], _expired);
    }

    [Fact]
    public void ItemIsUpdatedWithAnotherLifetime_TheNewLifetimeApplies()
    {
        using var expiry = Expire();
        _cache.AddOrUpdate(new Peer("a", 10));
        _scheduler.AdvanceBy(Seconds(1));

        _cache.AddOrUpdate(new Peer("a", 2));
        _scheduler.AdvanceBy(Seconds(20));

        Assert.Equal([(Seconds(3), "a=2")], _expired);
    }

    [Fact]
    public void ItemIsRemovedBeforeExpiration_ExpirationIsCancelled()
    {
        using var expiry = Expire();
        _cache.AddOrUpdate(new Peer("a", 10));
        _scheduler.AdvanceBy(Seconds(5));

        _cache.Remove("a");
        _scheduler.AdvanceBy(Seconds(60));

        Assert.Empty(_expired);
        Assert.Equal(["Add a=10", "Remove a=10"], _log.Sets);
    }

    [Fact]
    public void ItemIsRemovedAndAddedAgain_ExpiresFromItsNewAddition()
    {
        using var expiry = Expire();
        _cache.AddOrUpdate(new Peer("a", 10));
        _scheduler.AdvanceBy(Seconds(5));
        _cache.Remove("a");
        _scheduler.AdvanceBy(Seconds(3));

        _cache.AddOrUpdate(new Peer("a", 10));
        _scheduler.AdvanceBy(Seconds(60));

        Assert.Equal([(Seconds(18), "a=10")], _expired);
    }

    [Fact]
    public void NullLifetime_NeverExpires()
    {
        using var expiry = Expire();
        _cache.AddOrUpdate(new Peer("forever", -1));

        _scheduler.AdvanceBy(TimeSpan.FromDays(365));

        Assert.Equal(1, _cache.Count);
        Assert.Empty(_expired);
    }

    [Fact]
    public void ItemIsUpdatedToANullLifetime_ExpirationIsCancelled()
    {
        using var expiry = Expire();
        _cache.AddOrUpdate(new Peer("a", 10));
        _scheduler.AdvanceBy(Seconds(5));

        _cache.AddOrUpdate(new Peer("a", -1));
        _scheduler.AdvanceBy(Seconds(60));

        Assert.Empty(_expired);
        Assert.Equal(new Peer("a", -1), _cache.Lookup("a").Value);
    }

    [Fact]
    public void ItemsPresentBeforeSubscribing_ExpireFromTheSubscription()
    {
        _cache.AddOrUpdate(new Peer("a", 10));
        _scheduler.AdvanceBy(Seconds(4));

        using var expiry = Expire();
        _scheduler.AdvanceBy(Seconds(60));

        Assert.Equal([(Seconds(14), "a=10")], _expired);
    }

    [Fact]
    public void SeveralItems_EachExpiresAtItsOwnTime()
    {
        using var expiry = Expire();
        _cache.Edit(u =>
        {
            u.AddOrUpdate(new Peer("slow", 30));
            u.AddOrUpdate(new Peer("fast", 1));
            u.AddOrUpdate(new Peer("never", -1));
        });
        _scheduler.AdvanceBy(Seconds(2));
        _cache.AddOrUpdate(new Peer("late", 3));

        _scheduler.AdvanceBy(Seconds(60));

        Assert.Equal([(Seconds(1), "fast=1"), (Seconds(5), "late=3"), (Seconds(30), "slow=30")], _expired);
        Assert.Equal(["never"], _cache.Keys);
    }

    [Fact]
    public void ZeroLifetime_ExpiresOnTheNextTick()
    {
        using var expiry = Expire();

        _cache.AddOrUpdate(new Peer("a", 0));
        _scheduler.AdvanceBy(1);

        Assert.Equal([(1L, "a=0")], _expired);
    }

    [Fact]
    public void SubscriptionDisposed_ItemsNoLongerExpire()
    {
        var expiry = Expire();
        _cache.AddOrUpdate(new Peer("a", 10));

        expiry.Dispose();
        _scheduler.AdvanceBy(Seconds(60));

        Assert.Equal(1, _cache.Count);
        Assert.Empty(_expired);
    }

    [Fact]
    public void CacheDisposed_ExpiryCompletesAndItsTimersStop()
    {
        var cache = new SourceCache<Peer, string>(p => p.Name);
        var completed = false;
        using var expiry = cache.ExpireAfter(Lifetime, _scheduler).Subscribe(_ => { }, () => completed = true);
        cache.AddOrUpdate(new Peer("a", 10));

        cache.Dispose();
        _scheduler.AdvanceBy(Seconds(60));

        Assert.True(completed);
    }

    [Fact]
    public void ValueTypeItems_ExpireToo()
    {
        using var cache = new SourceCache<(string Name, int Seconds), string>(p => p.Name);
        var expired = new List<(long, string)>();
        using var expiry = cache.ExpireAfter(p => TimeSpan.FromSeconds(p.Seconds), _scheduler)
            .Subscribe(batch => expired.AddRange(batch.Select(kv => (_scheduler.Clock, kv.Key))));
        cache.AddOrUpdate(("a", 5));
        _scheduler.AdvanceBy(Seconds(2));
        cache.AddOrUpdate(("a", 5));

        _scheduler.AdvanceBy(Seconds(60));

        Assert.Equal([(Seconds(7), "a")], expired);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void ItemsEqualByValue_AnUpdateWithAnEqualItemStillRestartsTheClock()
    {
        using var expiry = Expire();
        _cache.AddOrUpdate(new Peer("a", 10));
        _scheduler.AdvanceBy(Seconds(9));

        _cache.AddOrUpdate(new Peer("a", 10));
        _scheduler.AdvanceBy(Seconds(9));

        Assert.Empty(_expired);
        _scheduler.AdvanceBy(Seconds(1));
        Assert.Equal([(Seconds(19), "a=10")], _expired);
    }

    [Fact]
    public void CacheWithAKeyComparer_AnUpdateUnderAnEqualKeyRestartsTheClock()
    {
        using var cache = new SourceCache<Peer, string>(p => p.Name, StringComparer.OrdinalIgnoreCase);
        var expired = new List<long>();
        using var expiry = cache.ExpireAfter(Lifetime, _scheduler).Subscribe(_ => expired.Add(_scheduler.Clock));
        cache.AddOrUpdate(new Peer("a", 10));
        _scheduler.AdvanceBy(Seconds(5));

        cache.AddOrUpdate(new Peer("A", 10));
        _scheduler.AdvanceBy(Seconds(60));

        Assert.Equal([Seconds(15)], expired);
    }

    [Fact]
    public void NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => SourceCacheExpiry.ExpireAfter<Peer, string>(null!, Lifetime, _scheduler));
        Assert.Throws<ArgumentNullException>(() => _cache.ExpireAfter(null!, _scheduler));
        Assert.Throws<ArgumentNullException>(() => _cache.ExpireAfter(Lifetime, null!));
    }

    private static TimeSpan? Lifetime(Peer peer) => peer.Score < 0 ? null : TimeSpan.FromSeconds(peer.Score);

    private static long Seconds(int seconds) => TimeSpan.FromSeconds(seconds).Ticks;

    private IDisposable Expire() =>
        _cache.ExpireAfter(Lifetime, _scheduler)
            .Subscribe(batch => _expired.AddRange(batch.Select(kv => (_scheduler.Clock, $"{kv.Key}={kv.Value.Score}"))));
}
