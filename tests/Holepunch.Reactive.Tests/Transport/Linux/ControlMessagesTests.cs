using System.Net;
using System.Runtime.InteropServices;
using Holepunch.Reactive.Transport.Linux;

namespace Holepunch.Reactive.Tests.Transport.Linux;

public sealed class ControlMessagesTests
{
    private static readonly int HeaderSize = Align(IntPtr.Size + 8);

    [Fact]
    public void IPv4PacketInfo_GivesTheHeaderDestinationAddress()
    {
        // in_pktinfo { ifindex 1, ipi_spec_dst 127.0.0.1, ipi_addr 127.0.0.2 }: the datagram was addressed to .2.
        byte[] control = Message(ControlMessages.SolIp, ControlMessages.IpPktInfo, [1, 0, 0, 0, 127, 0, 0, 1, 127, 0, 0, 2]);

        Assert.Equal(IPAddress.Parse("127.0.0.2"), Read(control));
    }

    [Fact]
    public void IPv6PacketInfo_GivesTheAddress()
    {
        byte[] control = Message(ControlMessages.SolIpv6, ControlMessages.Ipv6PktInfo, [.. IPAddress.IPv6Loopback.GetAddressBytes(), 1, 0, 0, 0]);

        Assert.Equal(IPAddress.IPv6Loopback, Read(control));
    }

    [Fact]
    public void IPv4MappedIPv6PacketInfo_IsUnmapped()
    {
        // A dual-mode socket reports IPv4 arrivals as IPV6_PKTINFO with a mapped address.
        byte[] control = Message(ControlMessages.SolIpv6, ControlMessages.Ipv6PktInfo, [.. IPAddress.Parse("::ffff:127.0.0.2").GetAddressBytes(), 1, 0, 0, 0]);

        Assert.Equal(IPAddress.Parse("127.0.0.2"), Read(control));
    }

    [Fact]
    public void PacketInfoAfterAnotherMessage_IsFound()
    {
        // SO_TIMESTAMP (level SOL_SOCKET 1, type 29) with a 16-byte timeval first.
        byte[] control = [.. Message(1, 29, new byte[16]), .. Message(ControlMessages.SolIp, ControlMessages.IpPktInfo, [1, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 9])];

        Assert.Equal(IPAddress.Parse("10.0.0.9"), Read(control));
    }

    [Fact]
    public void NoPacketInfo_ReadsNothing()
    {
        Assert.Null(Read([]));
        Assert.Null(Read(Message(1, 29, new byte[16])));
    }

    [Fact]
    public void MalformedLengths_ReadNothing()
    {
        byte[] tooLong = Message(ControlMessages.SolIp, ControlMessages.IpPktInfo, new byte[12]);
        WriteLength(tooLong, tooLong.Length + 1);
        byte[] tooShort = Message(ControlMessages.SolIp, ControlMessages.IpPktInfo, new byte[12]);
        WriteLength(tooShort, 3);
        byte[] truncatedData = Message(ControlMessages.SolIp, ControlMessages.IpPktInfo, new byte[8]);

        Assert.Null(Read(tooLong));
        Assert.Null(Read(tooShort));
        Assert.Null(Read(truncatedData));
    }

    private static IPAddress? Read(byte[] control)
    {
        Span<byte> address = stackalloc byte[16];
        int length = ControlMessages.ReadArrivalAddress(control, address);
        return length == 0 ? null : new IPAddress(address[..length]);
    }

    /// <summary>One control message as Linux lays it out (<c>cmsghdr</c>, data, padding to <c>size_t</c>).</summary>
    private static byte[] Message(int level, int type, byte[] data)
    {
        byte[] message = new byte[Align(HeaderSize + data.Length)];
        WriteLength(message, HeaderSize + data.Length);
        MemoryMarshal.Write(message.AsSpan(IntPtr.Size), level);
        MemoryMarshal.Write(message.AsSpan(IntPtr.Size + 4), type);
        data.CopyTo(message, HeaderSize);
        return message;
    }

    private static void WriteLength(byte[] message, int length)
    {
        if (IntPtr.Size == 8)
        {
            MemoryMarshal.Write(message, (ulong)length);
        }
        else
        {
            MemoryMarshal.Write(message, (uint)length);
        }
    }

    private static int Align(int length) => (length + IntPtr.Size - 1) & ~(IntPtr.Size - 1);
}
