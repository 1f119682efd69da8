using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Holepunch.Reactive.Transport.Linux;

/// <summary>
/// Linux's batched datagram calls, <c>recvmmsg</c> and <c>sendmmsg</c>, resolved from libc at first use: a process
/// where they do not resolve (another OS, an unusual libc) sees <see cref="IsSupported"/> false and keeps the
/// managed socket calls.
/// </summary>
/// <remarks>
/// Function pointers rather than <c>LibraryImport</c>, so that a missing export is a flag to test, not an
/// exception at the first call. Both calls hold a reference on the socket's handle for their duration, so that a
/// concurrent <see cref="Socket.Dispose()"/> cannot close the descriptor (and the OS hand its number to a new file)
/// under a call in progress: the dispose shuts the socket down, which wakes a blocked call, and closes it when the
/// call has let go. Constants and error numbers are those of asm-generic, which every architecture .NET runs on uses.
/// </remarks>
internal static unsafe class LinuxSockets
{
    /// <summary><c>MSG_WAITFORONE</c>: block for the first datagram only, then take what is already queued.</summary>
    public const int MsgWaitForOne = 0x10000;

    /// <summary><c>MSG_TRUNC</c> in a received message's flags: the datagram was longer than the buffer.</summary>
    public const int MsgTrunc = 0x20;

    public const int EIntr = 4;
    public const int EAgain = 11;

    private static readonly nint Libc = LoadLibc();
    private static readonly delegate* unmanaged<int, MMsgHdr*, uint, int, void*, int> RecvMmsg =
        (delegate* unmanaged<int, MMsgHdr*, uint, int, void*, int>)Export("recvmmsg");

    private static readonly delegate* unmanaged<int, MMsgHdr*, uint, int, int> SendMmsg =
        (delegate* unmanaged<int, MMsgHdr*, uint, int, int>)Export("sendmmsg");

    /// <summary>Whether both calls resolved (Linux only).</summary>
    public static bool IsSupported => RecvMmsg != null && SendMmsg != null;

    /// <summary>
    /// <c>recvmmsg</c> with <see cref="MsgWaitForOne"/>: waits for one datagram (up to the socket's receive timeout),
    /// then takes up to <paramref name="count"/> in all.
    /// </summary>
    /// <returns>The messages filled, or -1 with <paramref name="errno"/> set.</returns>
    /// <exception cref="ObjectDisposedException">The socket is closed.</exception>
    public static int Receive(SafeSocketHandle socket, MMsgHdr* messages, int count, out int errno)
    {
        bool added = false;
        try
        {
            socket.DangerousAddRef(ref added);
            int received = RecvMmsg((int)socket.DangerousGetHandle(), messages, (uint)count, MsgWaitForOne, null);
            errno = received < 0 ? Marshal.GetLastSystemError() : 0;
            return received;
        }
        finally
        {
            if (added)
            {
                socket.DangerousRelease();
            }
        }
    }

    /// <summary><c>sendmmsg</c>: sends messages in order until one fails.</summary>
    /// <returns>The messages sent (their <see cref="MMsgHdr.Length"/> set), or -1 with <paramref name="errno"/> set when the first failed.</returns>
    /// <exception cref="ObjectDisposedException">The socket is closed.</exception>
    public static int Send(SafeSocketHandle socket, MMsgHdr* messages, int count, out int errno)
    {
        bool added = false;
        try
        {
            socket.DangerousAddRef(ref added);
            int sent = SendMmsg((int)socket.DangerousGetHandle(), messages, (uint)count, 0);
            errno = sent < 0 ? Marshal.GetLastSystemError() : 0;
            return sent;
        }
        finally
        {
            if (added)
            {
                socket.DangerousRelease();
            }
        }
    }

    /// <summary>The <see cref="SocketError"/> of an error number, as .NET reports it for the managed socket calls.</summary>
    public static SocketError ToSocketError(int errno) => errno switch
    {
        1 or 13 => SocketError.AccessDenied,
        EIntr => SocketError.Interrupted,
        9 => SocketError.OperationAborted,
        EAgain => SocketError.WouldBlock,
        12 or 105 => SocketError.NoBufferSpaceAvailable,
        14 => SocketError.Fault,
        22 => SocketError.InvalidArgument,
        88 => SocketError.NotSocket,
        90 => SocketError.MessageSize,
        100 => SocketError.NetworkDown,
        101 => SocketError.NetworkUnreachable,
        102 => SocketError.NetworkReset,
        104 => SocketError.ConnectionReset,
        111 => SocketError.ConnectionRefused,
        112 => SocketError.HostDown,
        113 => SocketError.HostUnreachable,
        _ => SocketError.SocketError,
    };

    /// <summary>glibc's soname first (a bare "libc" can meet the development linker script <c>libc.so</c>), then whatever "libc" names (musl).</summary>
    private static nint LoadLibc() =>
        OperatingSystem.IsLinux()
        && (NativeLibrary.TryLoad("libc.so.6", out nint libc) || NativeLibrary.TryLoad("libc", typeof(LinuxSockets).Assembly, null, out libc))
            ? libc
            : 0;

    private static void* Export(string name) =>
        Libc != 0 && NativeLibrary.TryGetExport(Libc, name, out nint address) ? (void*)address : null;
}
