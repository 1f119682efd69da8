using System.Text;
using Holepunch.Reactive.Protocol;

namespace Holepunch.Reactive.Tests.Protocol;

public class NameCacheTests
{
    [Fact]
    public void SameNameTwice_SameStringInstance()
    {
        var first = NameCache.Get("joiner"u8);
        var second = NameCache.Get("joiner"u8);

        Assert.Equal("joiner", first);
        Assert.Same(first, second);
    }

    [Fact]
    public void ManyNamesSharingSlots_EachDecodesToItself()
    {
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 500; i++)
            {
                var name = $"peer-{i}";
                Assert.Equal(name, NameCache.Get(Encoding.ASCII.GetBytes(name)));
            }
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("żółw")]
    [InlineData("a-name-longer-than-sixty-four-bytes-is-not-cached-but-still-decodes-right")]
    public void EmptyNonAsciiOrLong_DecodesRight(string name) =>
        Assert.Equal(name, NameCache.Get(Encoding.UTF8.GetBytes(name)));

    [Fact]
    public void DecodedSender_SharesTheStringAcrossDatagrams()
    {
        var datagram = """{"type":"peer-check","sender":"room","intended-recipient":"joiner"}"""u8.ToArray();

        var first = Assert.IsType<PeerCheck>(MessageCodec.Decode(datagram).Message);
        var second = Assert.IsType<PeerCheck>(MessageCodec.Decode(datagram).Message);

        Assert.Same(first.Sender, second.Sender);
        Assert.Same(first.IntendedRecipient, second.IntendedRecipient);
    }
}
