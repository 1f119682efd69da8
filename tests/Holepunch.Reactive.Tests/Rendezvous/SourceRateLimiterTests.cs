using System.Net;
using Holepunch.Reactive.Rendezvous;

namespace Holepunch.Reactive.Tests.Rendezvous;

public sealed class SourceRateLimiterTests
{
    private static readonly IPAddress Source = IPAddress.Parse("203.0.113.5");

    private static SourceRateLimiter Create(
        int limit = 3, int perPeriod = 2, int idleSeconds = 3, int globalLimit = 10_000, int globalPerPeriod = 5_000, int maxSources = 10_000) =>
        new(new RendezvousServerOptions
        {
            SourceTokenLimit = limit,
            SourceTokensPerPeriod = perPeriod,
            SourceReplenishmentPeriod = TimeSpan.FromSeconds(1),
            SourceIdleTimeout = TimeSpan.FromSeconds(idleSeconds),
            GlobalTokenLimit = globalLimit,
            GlobalTokensPerPeriod = globalPerPeriod,
            MaxSources = maxSources,
        });

    private static IPAddress Address(int i) => new([10, (byte)(i >> 16), (byte)(i >> 8), (byte)i]);

    private static int Acquire(SourceRateLimiter limiter, int attempts)
    {
        var acquired = 0;
        for (var i = 0; i < attempts; i++)
        {
            acquired += limiter.TryAcquire(Source, out _) ? 1 : 0;
        }

        return acquired;
    }

    [Fact]
    public void EachTick_AddsTokensPerPeriodUpToTheLimit()
    {
        using var limiter = Create();
        Assert.Equal(3, Acquire(limiter, 10));

        limiter.Tick();
        Assert.Equal(2, Acquire(limiter, 10));

        limiter.Tick();
        limiter.Tick();
        Assert.Equal(3, Acquire(limiter, 10));
    }

    [Fact]
    public void RefusedAttempt_ReportsRateLimited()
    {
        using var limiter = Create(limit: 1);
        Acquire(limiter, 1);

        Assert.False(limiter.TryAcquire(Source, out var reason));
        Assert.Equal(RendezvousDropReason.RateLimited, reason);
    }

    [Fact]
    public void IdleFullSource_IsForgottenAfterTheIdleTimeout()
    {
        using var limiter = Create(idleSeconds: 3);
        Acquire(limiter, 1);

        limiter.Tick();
        limiter.Tick();
        Assert.Equal(1, limiter.Count);
        limiter.Tick();
        Assert.Equal(0, limiter.Count);
    }

    [Fact]
    public void IdleSourceStillEmpty_IsKeptUntilItsBucketIsFull()
    {
        using var limiter = Create(limit: 10, perPeriod: 1, idleSeconds: 1);
        Acquire(limiter, 10);

        for (var i = 0; i < 9; i++)
        {
            limiter.Tick();
            Assert.Equal(1, limiter.Count);
        }

        limiter.Tick();
        Assert.Equal(0, limiter.Count);
    }

    [Fact]
    public void AfterDispose_EverythingIsRefusedAsStopped()
    {
        var limiter = Create();
        limiter.Dispose();

        Assert.False(limiter.TryAcquire(Source, out var reason));
        Assert.Equal(RendezvousDropReason.Stopped, reason);
    }

    [Fact]
    public void HugeTokensPerPeriod_DoesNotOverflow()
    {
        using var limiter = Create(limit: int.MaxValue, perPeriod: int.MaxValue);
        Acquire(limiter, 1);
        limiter.Tick();

        Assert.True(limiter.TryAcquire(Source, out _));
    }

    [Fact]
    public void GlobalBucket_LimitsAllSourcesTogether_AndIsRefilledEachTick()
    {
        using var limiter = Create(globalLimit: 5, globalPerPeriod: 2);
        var reasons = new List<RendezvousDropReason>();
        for (var i = 0; i < 8; i++)
        {
            if (!limiter.TryAcquire(Address(i), out var reason))
            {
                reasons.Add(reason);
            }
        }

        Assert.Equal(Enumerable.Repeat(RendezvousDropReason.GlobalRateLimited, 3), reasons);
        limiter.Tick();
        Assert.Equal(2, Enumerable.Range(100, 5).Count(i => limiter.TryAcquire(Address(i), out _)));
    }

    [Fact]
    public void OneSourceFlooding_IsStoppedByItsOwnBucket_AndLeavesTheGlobalBucketToOthers()
    {
        using var limiter = Create(limit: 3, globalLimit: 10, globalPerPeriod: 10);

        Assert.Equal(3, Acquire(limiter, 10_000));

        Assert.Equal(7, Enumerable.Range(1, 7).Count(i => limiter.TryAcquire(Address(i), out _)));
    }

    [Fact]
    public void FullTable_NewSourceTakesThePlaceOfOneWhoseBucketIsFull()
    {
        using var limiter = Create(limit: 3, perPeriod: 3, idleSeconds: 60, maxSources: 2);
        Assert.True(limiter.TryAcquire(Address(1), out _));
        Assert.True(limiter.TryAcquire(Address(2), out _));
        Assert.False(limiter.TryAcquire(Address(3), out var reason));
        Assert.Equal(RendezvousDropReason.TooManySources, reason);

        // Both buckets are full again after a tick; one that is then used keeps its place.
        limiter.Tick();
        Assert.True(limiter.TryAcquire(Address(1), out _));
        Assert.True(limiter.TryAcquire(Address(3), out _));
        Assert.False(limiter.TryAcquire(Address(4), out reason));

        Assert.Equal(RendezvousDropReason.TooManySources, reason);
        Assert.Equal(2, limiter.Count);
    }
}
