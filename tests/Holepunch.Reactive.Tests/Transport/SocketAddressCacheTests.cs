using System.Net;
using System.Net.Sockets;
using Holepunch.Reactive.Transport;

namespace Holepunch.Reactive.Tests.Transport;

public sealed class SocketAddressCacheTests
{
    [Fact]
    public void SameRemoteTwice_ReturnsTheCachedAddress()
    {
        var cache = new SocketAddressCache();

        SocketAddress first = cache.Get(new IPEndPoint(IPAddress.Loopback, 4000), AddressFamily.InterNetwork);
        SocketAddress second = cache.Get(new IPEndPoint(IPAddress.Parse("127.0.0.1"), 4000), AddressFamily.InterNetwork);

        Assert.Same(first, second);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 4000).Serialize(), first);
    }

    [Fact]
    public void IPv4RemoteForIPv6Socket_IsMapped()
    {
        var cache = new SocketAddressCache();

        SocketAddress address = cache.Get(new IPEndPoint(IPAddress.Loopback, 4000), AddressFamily.InterNetworkV6);

        Assert.Equal(new IPEndPoint(IPAddress.Loopback.MapToIPv6(), 4000).Serialize(), address);
    }

    [Fact]
    public void MappedRemoteForIPv4Socket_IsUnmapped()
    {
        var cache = new SocketAddressCache();

        SocketAddress address = cache.Get(new IPEndPoint(IPAddress.Loopback.MapToIPv6(), 4000), AddressFamily.InterNetwork);

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 4000).Serialize(), address);
    }

    [Fact]
    public void DifferentPortOrFamily_IsADifferentEntry()
    {
        var cache = new SocketAddressCache();
        SocketAddress v4 = cache.Get(new IPEndPoint(IPAddress.Loopback, 4000), AddressFamily.InterNetwork);

        SocketAddress otherPort = cache.Get(new IPEndPoint(IPAddress.Loopback, 4001), AddressFamily.InterNetwork);
        SocketAddress v6 = cache.Get(new IPEndPoint(IPAddress.Loopback, 4000), AddressFamily.InterNetworkV6);

        Assert.NotEqual(v4, otherPort);
        Assert.Equal(AddressFamily.InterNetworkV6, v6.Family);
    }

    [Fact]
    public void MoreRemotesThanSlots_StillGivesTheRightAddress()
    {
        var cache = new SocketAddressCache();

        for (int port = 1; port <= 50; port++)
        {
            var remote = new IPEndPoint(IPAddress.Loopback, port);
            Assert.Equal(remote.Serialize(), cache.Get(remote, AddressFamily.InterNetwork));
        }
    }
}
