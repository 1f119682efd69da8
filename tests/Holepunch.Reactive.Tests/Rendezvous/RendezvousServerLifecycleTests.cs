using System.Reactive.Concurrency;
using System.Reactive.Linq;
using Holepunch.Reactive.Rendezvous;
using Holepunch.Reactive.Testing;
using Holepunch.Reactive.Time;
using static Holepunch.Reactive.Tests.Rendezvous.RendezvousServerHarness;

namespace Holepunch.Reactive.Tests.Rendezvous;

public sealed class RendezvousServerLifecycleTests
{
    [Fact]
    public void BeforeStart_NothingIsReceived()
    {
        var scheduler = new TestScheduler();
        using var transport = new FakeDatagramTransport();
        using var server = new RendezvousServer(transport, new RendezvousServerOptions { Scheduler = scheduler });

        transport.Push(Register("room"), EndPoint("203.0.113.5:1"), ServerEndPoint);
        scheduler.AdvanceBy(1);

        Assert.Empty(transport.Sent);
        Assert.Equal(0, server.Counters.DatagramsReceived);
    }

    [Fact]
    public void StartTwice_Throws()
    {
        using var harness = new RendezvousServerHarness();

        Assert.Throws<InvalidOperationException>(harness.Server.Start);
    }

    [Fact]
    public void StartAfterDispose_Throws()
    {
        using var transport = new FakeDatagramTransport();
        var server = new RendezvousServer(transport, new RendezvousServerOptions { Scheduler = new TestScheduler() });
        server.Dispose();

        Assert.Throws<ObjectDisposedException>(server.Start);
    }

    [Fact]
    public void NullTransport_Throws() =>
        Assert.Throws<ArgumentNullException>(() => new RendezvousServer(null!));

    [Fact]
    public void Dispose_StopsAnsweringAndCompletesOnTheScheduler()
    {
        var harness = new RendezvousServerHarness();
        harness.Handle(Register("room"), EndPoint("203.0.113.5:1"));
        var completed = false;
        using var subscription = harness.Server.Registrations.Connect().Subscribe(_ => { }, () => completed = true);
        harness.Receive(Register("queued"), EndPoint("203.0.113.6:1"));

        harness.Server.Dispose();
        harness.Receive(Register("late"), EndPoint("203.0.113.7:1"));
        Assert.False(harness.Server.Completion.IsCompleted);
        harness.Run();

        Assert.True(completed);
        Assert.True(harness.Server.Completion.IsCompletedSuccessfully);
        Assert.Single(harness.Sent);
        harness.Server.Dispose();
        harness.Transport.Dispose();
    }

    [Fact]
    public void TransportFailure_FaultsCompletion()
    {
        using var harness = new RendezvousServerHarness();
        var error = new InvalidOperationException("socket gone");

        harness.Transport.Fail(error);
        harness.Run();

        Assert.Same(error, harness.Server.Completion.Exception?.InnerException);
    }

    [Fact]
    public void TransportCompletion_CompletesCompletion()
    {
        using var harness = new RendezvousServerHarness();

        harness.Transport.Complete();
        harness.Run();

        Assert.True(harness.Server.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task DefaultScheduler_AnswersOnTheReceivingThreadAndEnds()
    {
        using var transport = new FakeDatagramTransport();
        var server = new RendezvousServer(transport);
        Assert.IsType<InlineEventLoop>(server.Scheduler);
        server.Start();

        // The server's own loop has no thread to hand the request to: the reply is sent before the datagram's
        // delivery returns, on the thread that delivered it.
        transport.Push(Register("room"), EndPoint("203.0.113.5:1"), ServerEndPoint);
        var answered = transport.Sent.Count;

        server.Dispose();
        await server.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, answered);
    }
}
