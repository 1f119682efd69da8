using System.Reactive.Concurrency;
using System.Reactive.Disposables;

namespace Holepunch.Reactive.Resilience;

/// <summary>
/// The reply timeouts of one <see cref="RequestRunner"/> (its attempts, and first attempts its callers send themselves) with a single timer: every attempt waits the same time, so
/// deadlines come in the order the attempts started, and one timer armed for the earliest pending deadline serves them
/// all, each timing out exactly at its own deadline. Used only on the runner's scheduler.
/// </summary>
/// <remarks>
/// An Rx <c>Timeout</c> per attempt scheduled (and on the reply, cancelled) one timer per message: on an event loop
/// that is a timer-queue insertion and a wake-up of the loop for every reliable message, most of the CPU time of a
/// reliable send. Here a reply costs nothing on the timer; the timer wakes once per reply timeout at most, to drop the
/// answered attempts at the front and arm itself for the first that still waits.
/// </remarks>
internal sealed class ReplyDeadlines(IScheduler scheduler)
{
    private readonly Queue<IReplyDeadline> _waiting = new();
    private bool _armed;
    private bool _expiring;

    /// <summary>Times <paramref name="waiter"/> out at its deadline unless it completes before.</summary>
    public void Watch(IReplyDeadline waiter)
    {
        // Answered attempts at the front are dropped as new ones come, so the queue holds about one timeout's worth.
        while (_waiting.TryPeek(out var head) && head.IsSettled)
        {
            _waiting.Dequeue();
        }

        _waiting.Enqueue(waiter);
        if (!_armed && !_expiring)
        {
            Arm(waiter.Deadline);
        }
    }

    private void Arm(DateTimeOffset deadline)
    {
        _armed = true;
        var due = deadline - scheduler.Now;
        scheduler.Schedule(this, due > TimeSpan.Zero ? due : TimeSpan.Zero, static (_, deadlines) =>
        {
            deadlines.OnTimer();
            return Disposable.Empty;
        });
    }

    private void OnTimer()
    {
        _armed = false;
        _expiring = true;
        try
        {
            // Expiring an attempt runs the next one inline (which may watch a new waiter): arm only once, at the end.
            var now = scheduler.Now;
            while (_waiting.TryPeek(out var head) && (head.IsSettled || head.Deadline <= now))
            {
                _waiting.Dequeue();
                head.Expire();
            }
        }
        finally
        {
            _expiring = false;
        }

        while (_waiting.TryPeek(out var next) && next.IsSettled)
        {
            _waiting.Dequeue();
        }

        if (_waiting.TryPeek(out var first))
        {
            Arm(first.Deadline);
        }
    }
}
