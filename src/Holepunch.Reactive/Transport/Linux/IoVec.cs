using System.Runtime.InteropServices;

namespace Holepunch.Reactive.Transport.Linux;

/// <summary>C's <c>struct iovec</c>: one buffer of a message.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct IoVec
{
    public byte* Base;
    public nuint Length;
}
