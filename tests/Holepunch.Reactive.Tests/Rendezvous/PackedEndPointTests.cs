using System.Net;
using Holepunch.Reactive.Rendezvous;

namespace Holepunch.Reactive.Tests.Rendezvous;

public sealed class PackedEndPointTests
{
    public static TheoryData<string> EndPoints => ["127.0.0.1:4000", "203.0.113.7:65535", "0.0.0.0:0", "[::1]:4000", "[2001:db8::5]:1", "[::ffff:10.0.0.1]:7"];

    [Theory]
    [MemberData(nameof(EndPoints))]
    public void Packed_UnpacksToAnEqualEndPoint(string text)
    {
        var endPoint = IPEndPoint.Parse(text);

        var packed = PackedEndPoint.From(endPoint);

        Assert.Equal(endPoint, packed.ToEndPoint());
        Assert.Equal(endPoint.AddressFamily, packed.ToEndPoint().AddressFamily);
        Assert.True(packed.Matches(endPoint));
        Assert.True(packed.HasAddress(endPoint.Address));
    }

    [Fact]
    public void IPv6WithScope_KeepsTheScope()
    {
        var endPoint = new IPEndPoint(IPAddress.Parse("fe80::1%3"), 9);

        Assert.Equal(3, PackedEndPoint.From(endPoint).ToEndPoint().Address.ScopeId);
    }

    [Theory]
    [InlineData("127.0.0.1:4000", "127.0.0.1:4001")]
    [InlineData("127.0.0.1:4000", "127.0.0.2:4000")]
    [InlineData("10.0.0.1:7", "[::ffff:10.0.0.1]:7")]
    [InlineData("[::1]:7", "[::2]:7")]
    public void OtherEndPoint_DoesNotMatch(string stored, string other)
    {
        var packed = PackedEndPoint.From(IPEndPoint.Parse(stored));

        Assert.False(packed.Matches(IPEndPoint.Parse(other)));
        Assert.NotEqual(packed, PackedEndPoint.From(IPEndPoint.Parse(other)));
    }

    [Fact]
    public void Registration_EqualByValueAndKeepsItsEndPoints()
    {
        var at = new DateTimeOffset(1, TimeSpan.Zero);
        var a = new Registration("room", IPEndPoint.Parse("203.0.113.1:4000"), IPEndPoint.Parse("192.168.1.2:4000"), null, TimeSpan.FromSeconds(60), at) { PeerKey = "k" };
        var b = new Registration("room", IPEndPoint.Parse("203.0.113.1:4000"), IPEndPoint.Parse("192.168.1.2:4000"), null, TimeSpan.FromSeconds(60), at) { PeerKey = "k" };

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b with { GlobalEndPoint = IPEndPoint.Parse("203.0.113.1:4001") });
        Assert.NotEqual(a, b with { PeerKey = null });
        Assert.Equal(IPEndPoint.Parse("192.168.1.2:4000"), (a with { Name = "other" }).LocalEndPoint);
        var (name, global, local, server, lifetime, refreshedAt) = a;
        Assert.Equal(("room", IPEndPoint.Parse("203.0.113.1:4000"), IPEndPoint.Parse("192.168.1.2:4000"), (IPAddress?)null, TimeSpan.FromSeconds(60), at), (name, global, local, server, lifetime, refreshedAt));
    }

    [Fact]
    public void Registration_NullEndPoint_Throws() =>
        Assert.Throws<ArgumentNullException>(() => new Registration("room", null!, IPEndPoint.Parse("10.0.0.1:1"), null, TimeSpan.Zero, default));
}
