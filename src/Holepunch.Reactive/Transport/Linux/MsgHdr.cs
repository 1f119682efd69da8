using System.Runtime.InteropServices;

namespace Holepunch.Reactive.Transport.Linux;

/// <summary>
/// C's <c>struct msghdr</c>. Sequential layout gives C's padding on every Linux ABI: the lengths are <c>size_t</c> in
/// glibc; musl's <c>int</c> plus zero padding reads the same on little-endian machines.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct MsgHdr
{
    /// <summary>The remote address (<c>sockaddr</c>): filled by a receive, read by a send.</summary>
    public byte* Name;

    /// <summary>In: the room at <see cref="Name"/>; out (receive): the address's length.</summary>
    public uint NameLength;

    public IoVec* Iov;
    public nuint IovLength;

    /// <summary>Ancillary data (control messages such as <c>IP_PKTINFO</c>).</summary>
    public byte* Control;

    /// <summary>In: the room at <see cref="Control"/>; out (receive): the bytes of control messages written.</summary>
    public nuint ControlLength;

    /// <summary>Out (receive): <c>MSG_TRUNC</c>, <c>MSG_CTRUNC</c>, ….</summary>
    public int Flags;
}
