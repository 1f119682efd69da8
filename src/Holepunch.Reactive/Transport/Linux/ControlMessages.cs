using System.Runtime.InteropServices;

namespace Holepunch.Reactive.Transport.Linux;

/// <summary>Reads the arrival address from the control messages of a received message (<c>IP_PKTINFO</c> / <c>IPV6_PKTINFO</c>).</summary>
/// <remarks>
/// Linux's <c>struct cmsghdr</c> is <c>{ size_t cmsg_len; int cmsg_level; int cmsg_type; }</c>, each message and its
/// data aligned to <c>size_t</c> (the <c>CMSG_*</c> macros).
/// </remarks>
internal static class ControlMessages
{
    public const int SolIp = 0;
    public const int IpPktInfo = 8;
    public const int SolIpv6 = 41;
    public const int Ipv6PktInfo = 50;

    /// <summary>The room one slot gives control messages: an <c>in6_pktinfo</c> message takes 40 bytes, an <c>in_pktinfo</c> one 32.</summary>
    public const int SlotSize = 64;

    private static readonly int HeaderSize = Align(IntPtr.Size + 8);

    /// <summary>
    /// Copies the destination address of the received datagram into <paramref name="address"/> (at least 16 bytes):
    /// 4 bytes for IPv4 (an IPv4-mapped IPv6 address unmapped), 16 for IPv6.
    /// </summary>
    /// <returns>The address's length, or 0 when the control messages hold no packet information.</returns>
    public static int ReadArrivalAddress(ReadOnlySpan<byte> control, Span<byte> address)
    {
        int offset = 0;

        // Bounded: each message moves the offset on by at least a header.
        while (control.Length - offset >= HeaderSize)
        {
            ReadOnlySpan<byte> message = control[offset..];
            ulong length = IntPtr.Size == 8 ? MemoryMarshal.Read<ulong>(message) : MemoryMarshal.Read<uint>(message);
            if (length < (ulong)HeaderSize || length > (ulong)message.Length)
            {
                return 0;
            }

            int level = MemoryMarshal.Read<int>(message[IntPtr.Size..]);
            int type = MemoryMarshal.Read<int>(message[(IntPtr.Size + 4)..]);
            ReadOnlySpan<byte> data = message[HeaderSize..(int)length];

            // in_pktinfo { int ipi_ifindex; in_addr ipi_spec_dst; in_addr ipi_addr; }: ipi_addr is the header's destination.
            if (level == SolIp && type == IpPktInfo && data.Length >= 12)
            {
                data.Slice(8, 4).CopyTo(address);
                return 4;
            }

            // in6_pktinfo { in6_addr ipi6_addr; int ipi6_ifindex; }: IPv4 datagrams on a dual-mode socket come mapped.
            if (level == SolIpv6 && type == Ipv6PktInfo && data.Length >= 16)
            {
                ReadOnlySpan<byte> destination = data[..16];
                if (NativeSocketAddress.IsIPv4Mapped(destination))
                {
                    destination[12..].CopyTo(address);
                    return 4;
                }

                destination.CopyTo(address);
                return 16;
            }

            offset += Align((int)length);
        }

        return 0;
    }

    private static int Align(int length) => (length + IntPtr.Size - 1) & ~(IntPtr.Size - 1);
}
