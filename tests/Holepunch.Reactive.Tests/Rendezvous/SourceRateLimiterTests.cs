using System.Net;
using Holepunch.Reactive.Rendezvous;

namespace Holepunch.Reactive.Tests.Rendezvous;

public sealed class SourceRateLimiterTests
{
    private static readonly IPAddress Source = IPAddress.Parse("203.0.113.5");

    private static SourceRateLimiter Create(int limit = 3, int perPeriod = 2, int idleSeconds = 3) => new(new RendezvousServerOptions
    {
        SourceTokenLimit = limit,
        SourceTokensPerPeriod = perPeriod,
        SourceReplenishmentPeriod = TimeSpan.FromSeconds(1),
        SourceIdleTimeout = TimeSpan.FromSeconds(idleSeconds),
    });

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
}
