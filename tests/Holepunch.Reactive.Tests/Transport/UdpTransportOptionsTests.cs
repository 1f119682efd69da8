using System.Net;
using Holepunch.Reactive.Transport;

namespace Holepunch.Reactive.Tests.Transport;

public sealed class UdpTransportOptionsTests
{
    [Fact]
    public void Defaults_AreValid()
    {
        var options = new UdpTransportOptions();

        options.Validate();

        Assert.Equal(new IPEndPoint(IPAddress.Any, 0), options.BindEndPoint);
        Assert.Equal(65_507, options.MaxDatagramSize);
        Assert.True(options.DualMode);
        Assert.True(options.ReceivePacketInformation);
        Assert.True(options.BatchedReceive);
        Assert.Empty(options.AdditionalBindAddresses);
    }

    [Fact]
    public void SeveralInvalidOptions_OneExceptionListsEveryProblem()
    {
        var options = new UdpTransportOptions
        {
            BindEndPoint = null!,
            MaxDatagramSize = 70_000,
            ReceiveBufferSize = 0,
            SendBufferSize = -1,
            AdditionalBindAddresses = [IPAddress.Any, IPAddress.Parse("224.0.0.1"), IPAddress.Parse("ff02::1")],
        };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains(nameof(UdpTransportOptions.BindEndPoint), error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(UdpTransportOptions.MaxDatagramSize), error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(UdpTransportOptions.ReceiveBufferSize), error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(UdpTransportOptions.SendBufferSize), error.Message, StringComparison.Ordinal);
        Assert.Contains("'0.0.0.0'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'224.0.0.1'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'ff02::1'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65_528)]
    public void MaxDatagramSizeOutOfRange_IsRejected(int size)
    {
        var options = new UdpTransportOptions { MaxDatagramSize = size };

        Assert.Throws<ArgumentException>(options.Validate);
    }

    [Fact]
    public void BindWithInvalidOptions_ThrowsBeforeBinding()
    {
        Assert.Throws<ArgumentException>(() => UdpDatagramTransport.Bind(new UdpTransportOptions { MaxDatagramSize = 0 }));
    }

    [Fact]
    public void BindWithNull_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => UdpDatagramTransport.Bind((UdpTransportOptions)null!));
        Assert.Throws<ArgumentNullException>(() => UdpDatagramTransport.Bind((IPEndPoint)null!));
    }
}
