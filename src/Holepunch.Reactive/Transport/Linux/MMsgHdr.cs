using System.Runtime.InteropServices;

namespace Holepunch.Reactive.Transport.Linux;

/// <summary>C's <c>struct mmsghdr</c>: one message of a <c>recvmmsg</c> or <c>sendmmsg</c> call.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct MMsgHdr
{
    public MsgHdr Header;

    /// <summary>The bytes received or sent for this message.</summary>
    public uint Length;
}
