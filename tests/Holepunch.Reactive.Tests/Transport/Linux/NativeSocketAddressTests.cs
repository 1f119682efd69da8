using System.Net;
using System.Runtime.InteropServices;
using Holepunch.Reactive.Transport.Linux;

namespace Holepunch.Reactive.Tests.Transport.Linux;

public sealed class NativeSocketAddressTests
{
    [Fact]
    public void SockaddrIn_ReadsAddressAndPort()
    {
        byte[] name = SockaddrIn([192, 0, 2, 7], 0x1f90);

        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.7"), 8080), NativeSocketAddress.Read(name));
    }

    [Fact]
    public void SockaddrIn6_ReadsAddressPortAndScope()
    {
        byte[] name = SockaddrIn6(IPAddress.Parse("fe80::1").GetAddressBytes(), 0x1f90, scope: 3);

        IPEndPoint? read = NativeSocketAddress.Read(name);

        Assert.Equal(new IPEndPoint(IPAddress.Parse("fe80::1%3"), 8080), read);
        Assert.Equal(3, read!.Address.ScopeId);
    }

    [Fact]
    public void IPv4MappedSockaddrIn6_IsUnmapped()
    {
        byte[] name = SockaddrIn6(IPAddress.Parse("::ffff:127.0.0.1").GetAddressBytes(), 0x1f90, scope: 0);

        IPEndPoint? read = NativeSocketAddress.Read(name);

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 8080), read);
        Assert.Equal(System.Net.Sockets.AddressFamily.InterNetwork, read!.AddressFamily);
    }

    [Fact]
    public void OtherFamilyOrShortAddress_ReadsNull()
    {
        byte[] unix = new byte[110];
        MemoryMarshal.Write(unix, (ushort)1);

        Assert.Null(NativeSocketAddress.Read(unix));
        Assert.Null(NativeSocketAddress.Read(SockaddrIn6(new byte[16], 1, 0).AsSpan(0, 20)));
        Assert.Null(NativeSocketAddress.Read([2, 0]));
    }

    private static byte[] SockaddrIn(byte[] address, ushort port)
    {
        byte[] name = new byte[16];
        MemoryMarshal.Write(name, NativeSocketAddress.AfInet);
        name[2] = (byte)(port >> 8);
        name[3] = (byte)port;
        address.CopyTo(name, 4);
        return name;
    }

    private static byte[] SockaddrIn6(byte[] address, ushort port, uint scope)
    {
        byte[] name = new byte[28];
        MemoryMarshal.Write(name, NativeSocketAddress.AfInet6);
        name[2] = (byte)(port >> 8);
        name[3] = (byte)port;
        address.CopyTo(name, 8);
        MemoryMarshal.Write(name.AsSpan(24), scope);
        return name;
    }
}
