using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Holepunch.Reactive.Transport.Linux;

/// <summary>
/// The receive loop of one <see cref="UdpSocketBinding"/> on Linux: one <c>recvmmsg</c> waits for a datagram and takes
/// up to <see cref="MaxBatchSize"/> already queued with it, then each is emitted as the managed loop does, and what the
/// observers sent meanwhile on this thread leaves in one <c>sendmmsg</c> (<see cref="SendBatch"/>). Under load that is
/// two system calls and no thread wake-up for a whole batch of requests and their replies.
/// </summary>
/// <remarks>
/// Everything it needs is allocated once: the message headers, one receive slot of the maximum datagram size (plus
/// one byte) per message in a pinned array of at most <see cref="MaxSlotBytes"/> (whose pages the OS commits only as
/// datagrams fill them: small datagrams cost a page a slot), and the remote and arrival end points of the last
/// datagram, reused while they do not change, so a steady peer costs no allocation.
/// </remarks>
internal sealed unsafe class BatchedReceiveLoop
{
    /// <summary>The most datagrams one call takes.</summary>
    public const int MaxBatchSize = 32;

    /// <summary>
    /// The receive slots' bytes at most (they count in the managed heap's size): 16 slots at the default 64 KiB
    /// maximum datagram size, 32 at 32 KiB or less. Past 16 a batch saves little more per datagram.
    /// </summary>
    public const int MaxSlotBytes = 1 << 20;

    private readonly UdpSocketBinding _binding;
    private readonly UdpDatagramTransport _owner;
    private readonly int _maxDatagramSize;
    private readonly int _stride;
    private readonly int _batchSize;
    private readonly bool _usePacketInformation;
    private readonly byte[] _payloads;

    // The last remote's native address and end point, and the last arrival address (4 or 16 bytes) and end point.
    private readonly byte[] _lastName = new byte[NativeSocketAddress.StorageSize];
    private int _lastNameLength;
    private IPEndPoint? _lastRemote;
    private readonly byte[] _lastArrivalAddress = new byte[16];
    private int _lastArrivalLength;
    private IPEndPoint _lastArrival;

    public BatchedReceiveLoop(UdpSocketBinding binding, UdpDatagramTransport owner, int maxDatagramSize, bool usePacketInformation)
    {
        _binding = binding;
        _owner = owner;
        _maxDatagramSize = maxDatagramSize;
        _usePacketInformation = usePacketInformation;

        // One byte over the maximum, so that an oversize datagram shows even where the truncation flag would not.
        _stride = (maxDatagramSize + 1 + 15) & ~15;
        _batchSize = Math.Clamp(MaxSlotBytes / _stride, 1, MaxBatchSize);
        _payloads = GC.AllocateUninitializedArray<byte>(_stride * _batchSize, pinned: true);
        _lastArrival = binding.LocalEndPoint;
    }

    /// <summary>Whether the batched calls can be used here.</summary>
    public static bool IsSupported => LinuxSockets.IsSupported;

    /// <summary>Asks the socket for the arrival address of each datagram (what <see cref="Socket.ReceiveMessageFrom(byte[], int, int, ref SocketFlags, ref EndPoint, out IPPacketInformation)"/> does on first use).</summary>
    public static void EnablePacketInformation(Socket socket)
    {
        if (socket.AddressFamily == AddressFamily.InterNetworkV6)
        {
            // IPV6_RECVPKTINFO; on a dual-mode socket it reports IPv4 arrivals too, as mapped addresses.
            socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.PacketInformation, true);
        }
        else
        {
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.PacketInformation, true);
        }
    }

    /// <summary>Runs until the transport closes or the socket fails; the body of the binding's receive thread.</summary>
    public void Run()
    {
        int slot = sizeof(MMsgHdr) + sizeof(IoVec) + NativeSocketAddress.StorageSize + ControlMessages.SlotSize;
        byte* block = (byte*)NativeMemory.AllocZeroed((nuint)(slot * _batchSize));
        using var sends = new SendBatch(_owner);
        try
        {
            byte* payloads = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_payloads));
            var headers = (MMsgHdr*)block;
            var vectors = (IoVec*)(headers + _batchSize);
            byte* names = (byte*)(vectors + _batchSize);
            byte* controls = names + (_batchSize * NativeSocketAddress.StorageSize);
            for (int i = 0; i < _batchSize; i++)
            {
                vectors[i] = new IoVec { Base = payloads + (i * _stride), Length = (nuint)_stride };
                headers[i].Header.Iov = vectors + i;
                headers[i].Header.IovLength = 1;
                headers[i].Header.Name = names + (i * NativeSocketAddress.StorageSize);
                headers[i].Header.Control = _usePacketInformation ? controls + (i * ControlMessages.SlotSize) : null;
            }

            Loop(headers, sends);
        }
        catch (Exception e) when (_owner.IsClosed && e is SocketException or ObjectDisposedException)
        {
            // Closed while receiving: the transport has already completed the stream.
        }
#pragma warning disable CA1031 // Any other failure ends the loop and is reported once through OnError.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _owner.Fault(e);
        }
        finally
        {
            NativeMemory.Free(block);
        }
    }

    private void Loop(MMsgHdr* headers, SendBatch sends)
    {
        SafeSocketHandle handle = _binding.Socket.SafeHandle;

        // Bounded by the transport's life: closing it shuts the socket down, which ends a blocked call (or the poll does).
        while (!_owner.IsClosed)
        {
            // The kernel writes the lengths and flags back: give each slot its full room again.
            for (int i = 0; i < _batchSize; i++)
            {
                headers[i].Header.NameLength = NativeSocketAddress.StorageSize;
                headers[i].Header.ControlLength = _usePacketInformation ? ControlMessages.SlotSize : 0u;
                headers[i].Header.Flags = 0;
            }

            _owner.Counters.ReceiveCall();
            int count = LinuxSockets.Receive(handle, headers, _batchSize, out int errno);
            if (count < 0)
            {
                Survive(errno);
            }
            else if (!DeliverAll(headers, count, sends))
            {
                return;
            }
        }
    }

    /// <summary>Counts an error the loop goes on after; throws for one it cannot survive.</summary>
    private void Survive(int errno)
    {
        // The receive timeout (the loop's poll of the closed flag), or a signal.
        if (errno is LinuxSockets.EAgain or LinuxSockets.EIntr || _owner.IsClosed)
        {
            return;
        }

        SocketError error = LinuxSockets.ToSocketError(errno);
        if (error == SocketError.MessageSize)
        {
            _owner.Counters.Oversize();
        }
        else if (UdpSocketBinding.IsTransient(error))
        {
            _owner.Counters.ReceiveFailed();
        }
        else
        {
            throw new SocketException((int)error);
        }
    }

    /// <summary>Emits the received datagrams in order, then sends what the observers sent meanwhile; <see langword="false"/> when the stream ended.</summary>
    private bool DeliverAll(MMsgHdr* headers, int count, SendBatch sends)
    {
        sends.Open();
        try
        {
            for (int i = 0; i < count; i++)
            {
                ref MsgHdr message = ref headers[i].Header;

                // No sender: no datagram, but a receive that the socket's shutdown ended (the transport is closing).
                if (message.NameLength == 0)
                {
                    continue;
                }

                int length = (int)headers[i].Length;
                if (length > _maxDatagramSize || (message.Flags & LinuxSockets.MsgTrunc) != 0)
                {
                    _owner.Counters.Oversize();
                    continue;
                }

                IPEndPoint? remote = RemoteFrom(new ReadOnlySpan<byte>(message.Name, (int)message.NameLength));
                if (remote is null)
                {
                    _owner.Counters.ReceiveFailed();
                    continue;
                }

                IPEndPoint local = _usePacketInformation
                    ? ArrivalFrom(new ReadOnlySpan<byte>(message.Control, (int)message.ControlLength))
                    : _binding.LocalEndPoint;
                if (!_owner.Deliver(new Datagram(new ReadOnlyMemory<byte>(_payloads, i * _stride, length), remote, local)))
                {
                    return false;
                }
            }

            return true;
        }
        finally
        {
            sends.Close();
            sends.Flush();
        }
    }

    private IPEndPoint? RemoteFrom(ReadOnlySpan<byte> name)
    {
        if (_lastRemote is not null && name.SequenceEqual(_lastName.AsSpan(0, _lastNameLength)))
        {
            return _lastRemote;
        }

        IPEndPoint? remote = NativeSocketAddress.Read(name);
        if (remote is not null)
        {
            name.CopyTo(_lastName);
            _lastNameLength = name.Length;
            _lastRemote = remote;
        }

        return remote;
    }

    private IPEndPoint ArrivalFrom(ReadOnlySpan<byte> control)
    {
        Span<byte> address = stackalloc byte[16];
        int length = ControlMessages.ReadArrivalAddress(control, address);
        address = address[..length];
        if (length == 0)
        {
            return _binding.LocalEndPoint;
        }

        if (address.SequenceEqual(_lastArrivalAddress.AsSpan(0, _lastArrivalLength)))
        {
            return _lastArrival;
        }

        address.CopyTo(_lastArrivalAddress);
        _lastArrivalLength = length;
        var arrival = new IPAddress(address);

        // A wildcard means the platform gave no useful packet information: the bound end point is the best answer.
        _lastArrival = UdpSocketFactory.IsWildcard(arrival) ? _binding.LocalEndPoint : new IPEndPoint(arrival, _binding.LocalEndPoint.Port);
        return _lastArrival;
    }
}
