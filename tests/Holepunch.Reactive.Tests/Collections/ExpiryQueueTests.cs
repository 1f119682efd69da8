using Holepunch.Reactive.Collections;
using Holepunch.Reactive.Testing;

namespace Holepunch.Reactive.Tests.Collections;

public sealed class ExpiryQueueTests : IDisposable
{
    private readonly TestScheduler _scheduler = new();
    private readonly Dictionary<string, long> _deadlines = [];
    private readonly List<(long At, string Key)> _expired = [];
    private readonly ExpiryQueue<string> _queue;

    public ExpiryQueueTests()
    {
        _queue = new ExpiryQueue<string>(
            _scheduler,
            (key, ticks) => _deadlines.TryGetValue(key, out var current) && current == ticks,
            key =>
            {
                _deadlines.Remove(key);
                _expired.Add((_scheduler.Clock, key));
            });
    }

    public void Dispose() => _queue.Dispose();

    [Fact]
    public void KeyAdded_ExpiresAtExactlyItsDeadline()
    {
        Set("a", Seconds(10));

        _scheduler.AdvanceBy(Seconds(10) - 1);
        Assert.Empty(_expired);

        _scheduler.AdvanceBy(1);
        Assert.Equal([(Seconds(10), "a")], _expired);
    }

    [Fact]
    public void DeadlineMovedLater_ExpiresOnlyAtTheNewDeadline()
    {
        Set("a", Seconds(10));
        _scheduler.AdvanceBy(Seconds(5));
        Set("a", Seconds(20));

        _scheduler.AdvanceBy(Seconds(10));
        Assert.Empty(_expired);

        _scheduler.AdvanceBy(Seconds(5));
        Assert.Equal([(Seconds(20), "a")], _expired);
    }

    [Fact]
    public void DeadlineMovedEarlier_ExpiresAtTheNewDeadlineOnce()
    {
        Set("a", Seconds(30));
        Set("a", Seconds(5));

        _scheduler.AdvanceBy(Seconds(60));

        Assert.Equal([(Seconds(5), "a")], _expired);
        Assert.Null(_queue.ArmedFor);
    }

    [Fact]
    public void KeyRemovedByItsOwner_NeverExpires()
    {
        Set("a", Seconds(10));
        _deadlines.Remove("a");

        _scheduler.AdvanceBy(Seconds(60));

        Assert.Empty(_expired);
        Assert.Equal(0, _queue.Count);
    }

    [Fact]
    public void SameDeadline_ExpireInTheOrderAdded()
    {
        Set("c", Seconds(10));
        Set("a", Seconds(10));
        Set("b", Seconds(10));

        _scheduler.AdvanceBy(Seconds(10));

        Assert.Equal(["c", "a", "b"], _expired.Select(e => e.Key));
        Assert.All(_expired, e => Assert.Equal(Seconds(10), e.At));
    }

    [Fact]
    public void ManyKeysWithScatteredDeadlines_EachExpiresAtItsOwnDeadline()
    {
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            Set($"k{i}", random.Next(1, 100_000));
        }

        var expected = _deadlines.ToDictionary(kv => kv.Key, kv => kv.Value);
        _scheduler.AdvanceBy(100_000);

        Assert.Equal(2000, _expired.Count);
        Assert.All(_expired, e => Assert.Equal(expected[e.Key], e.At));
        Assert.Equal(_expired.OrderBy(e => e.At).Select(e => e.At), _expired.Select(e => e.At));
    }

    [Fact]
    public void OneTimer_ForAllKeys()
    {
        for (var i = 0; i < 100; i++)
        {
            Set($"k{i}", Seconds(10 + i));
        }

        // The one timer is set for the earliest deadline; later ones wait for it.
        Assert.Equal(new DateTimeOffset(Seconds(10), TimeSpan.Zero), _queue.ArmedFor);
        _scheduler.AdvanceBy(Seconds(10));
        Assert.Equal(new DateTimeOffset(Seconds(11), TimeSpan.Zero), _queue.ArmedFor);
    }

    [Fact]
    public void RepeatedRefreshes_StaleEntriesAreSweptSoTheQueueStaysBounded()
    {
        for (var refresh = 0; refresh < 1000; refresh++)
        {
            for (var i = 0; i < 10; i++)
            {
                Set($"k{i}", Seconds(60) + refresh);
            }
        }

        Assert.InRange(_queue.Count, 10, 128);
        _scheduler.AdvanceBy(Seconds(61));
        Assert.Equal(10, _expired.Count);
        Assert.All(_expired, e => Assert.Equal(Seconds(60) + 999, e.At));
    }

    [Fact]
    public void KeyAddedWhileExpiring_ExpiresOnItsOwnTimer()
    {
        var queue = default(ExpiryQueue<string>);
        var deadlines = new Dictionary<string, long>();
        var expired = new List<(long At, string Key)>();
        queue = new ExpiryQueue<string>(
            _scheduler,
            (key, ticks) => deadlines.TryGetValue(key, out var current) && current == ticks,
            key =>
            {
                deadlines.Remove(key);
                expired.Add((_scheduler.Clock, key));
                if (key == "a")
                {
                    // Due at once: runs on the next timer, at clock + 1 on the virtual clock.
                    deadlines["b"] = _scheduler.Clock;
                    queue!.Add("b", new DateTimeOffset(_scheduler.Clock, TimeSpan.Zero));
                }
            });
        using (queue)
        {
            deadlines["a"] = 10;
            queue.Add("a", new DateTimeOffset(10, TimeSpan.Zero));

            _scheduler.AdvanceBy(20);

            Assert.Equal([(10L, "a"), (11L, "b")], expired);
        }
    }

    [Fact]
    public void Disposed_NothingExpiresAndAddsAreIgnored()
    {
        Set("a", Seconds(10));
        _queue.Dispose();
        Set("b", Seconds(5));

        _scheduler.AdvanceBy(Seconds(60));

        Assert.Empty(_expired);
        Assert.Equal(0, _queue.Count);
        Assert.Null(_queue.ArmedFor);
    }

    private static long Seconds(int seconds) => TimeSpan.FromSeconds(seconds).Ticks;

    private void Set(string key, long deadline)
    {
        _deadlines[key] = deadline;
        _queue.Add(key, new DateTimeOffset(deadline, TimeSpan.Zero));
    }
}
