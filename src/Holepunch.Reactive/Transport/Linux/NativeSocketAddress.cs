using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;

namespace Holepunch.Reactive.Transport.Linux;

/// <summary>Reads Linux's <c>sockaddr_in</c> / <c>sockaddr_in6</c> (the remote address of a received message).</summary>
internal static class NativeSocketAddress
{
    public const ushort AfInet = 2;
    public const ushort AfInet6 = 10;

    /// <summary>The size of <c>sockaddr_storage</c>, room for any address.</summary>
    public const int StorageSize = 128;

    /// <summary>The end point in <paramref name="name"/>, an IPv4-mapped address unmapped; <see langword="null"/> for another family or a short address.</summary>
    public static IPEndPoint? Read(ReadOnlySpan<byte> name)
    {
        if (name.Length < 8)
        {
            return null;
        }

        // sa_family is in host order, sin_port / sin6_port in network order.
        ushort family = MemoryMarshal.Read<ushort>(name);
        int port = BinaryPrimitives.ReadUInt16BigEndian(name[2..]);
        if (family == AfInet)
        {
            return new IPEndPoint(new IPAddress(name.Slice(4, 4)), port);
        }

        if (family != AfInet6 || name.Length < 28)
        {
            return null;
        }

        ReadOnlySpan<byte> address = name.Slice(8, 16);
        if (IsIPv4Mapped(address))
        {
            return new IPEndPoint(new IPAddress(address[12..]), port);
        }

        return new IPEndPoint(new IPAddress(address, MemoryMarshal.Read<uint>(name[24..])), port);
    }

    /// <summary>Whether 16 address bytes are <c>::ffff:a.b.c.d</c>.</summary>
    public static bool IsIPv4Mapped(ReadOnlySpan<byte> address) =>
        address.Length == 16
        && address[..10].IndexOfAnyExcept((byte)0) < 0
        && address[10] == 0xff
        && address[11] == 0xff;
}
