using Holepunch.Reactive.Peers;

namespace Holepunch.Reactive.Tests.Peers;

public sealed class BatchCoalescingOptionsTests
{
    [Theory]
    [InlineData(-1)]
    [InlineData(1_000_001)]
    public void WindowOutOfRange_IsRefusedByValidation(int microseconds)
    {
        var options = new HolepunchClientOptions
        {
            RendezvousEndPoint = new(System.Net.IPAddress.Loopback, 5160),
            BatchCoalescingWindow = TimeSpan.FromMicroseconds(microseconds),
        };

        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains(nameof(HolepunchClientOptions.BatchCoalescingWindow), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(25)]
    [InlineData(1_000_000)]
    public void WindowInRange_IsAccepted(int microseconds)
    {
        var options = new HolepunchClientOptions
        {
            RendezvousEndPoint = new(System.Net.IPAddress.Loopback, 5160),
            BatchCoalescingWindow = TimeSpan.FromMicroseconds(microseconds),
        };

        options.Validate();

        Assert.Equal(TimeSpan.FromMicroseconds(microseconds), options.BatchCoalescingWindow);
    }
}
