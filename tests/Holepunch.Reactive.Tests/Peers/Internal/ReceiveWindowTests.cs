using Holepunch.Reactive.Peers.Internal;

namespace Holepunch.Reactive.Tests.Peers.Internal;

public sealed class ReceiveWindowTests
{
    [Fact]
    public void EachIdOnce_SecondCopyIsADuplicate()
    {
        var window = new ReceiveWindow(64);

        Assert.True(window.TryAccept(0));
        Assert.False(window.TryAccept(0));
        Assert.True(window.TryAccept(2));
        Assert.True(window.TryAccept(1));
        Assert.False(window.TryAccept(1));
        Assert.False(window.TryAccept(2));
    }

    [Fact]
    public void IdOlderThanTheWindow_CountsAsSeen()
    {
        var window = new ReceiveWindow(64);
        window.TryAccept(1000);

        Assert.False(window.TryAccept(1000 - 64));
        Assert.True(window.TryAccept(1000 - 63));
    }

    [Fact]
    public void BigJump_ForgetsTheOldBitsButNotTheNewId()
    {
        var window = new ReceiveWindow(64);
        window.TryAccept(5);

        Assert.True(window.TryAccept(5 + 64 * 3));
        Assert.False(window.TryAccept(5 + 64 * 3));
        Assert.True(window.TryAccept(5 + 64 * 3 - 1));
    }

    [Fact]
    public void GodotStyleIds_HeavyResending_NoDuplicateSlipsThrough()
    {
        // The reference's 20-id history lets duplicates through after 21 messages; a 4096 window does not.
        var window = new ReceiveWindow(4096);
        var random = new Random(3);
        var delivered = new HashSet<long>();
        var sent = new HashSet<long>();
        for (var i = 0; i < 20_000; i++)
        {
            var id = Math.Max(0, (i / 4) - random.Next(0, 40)); // every id re-sent many times, out of order
            sent.Add(id);
            if (window.TryAccept(id))
            {
                Assert.True(delivered.Add(id), $"id {id} delivered twice");
            }
        }

        Assert.Equal(sent.Order(), delivered.Order()); // and nothing that came was lost
    }
}
