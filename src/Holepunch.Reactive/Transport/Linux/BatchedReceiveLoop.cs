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
/// Everything it needs is allocated up front: the message headers, receive slots of the maximum datagram size (plus
/// one byte) in a pinned array, and the remote and arrival end points of the last datagram, reused while they do not
/// change, so a steady peer costs no allocation. The slots start at two and double each time a call fills them all,
/// up to <see cref="MaxSlotBytes"/>: a socket that takes a datagram at a time (most clients) pins 128 KiB at the
/// default maximum datagram size, a busy one (a server) reaches its full batch after a few calls. The OS commits a
/// slot's pages only as datagrams fill them. The arrays come from, and go back to, a <see cref="PinnedSlotPool"/>.
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

    /// <summary>The receive slots a loop starts with: two, so that a call taking one datagram shows there was no more.</summary>
    public const int InitialSlots = 2;

    private readonly UdpSocketBinding _binding;
    private readonly UdpDatagramTransport _owner;
    private readonly int _maxDatagramSize;
    private readonly int _stride;
    private readonly int _batchSize;
    private readonly bool _usePacketInformation;
    private readonly PinnedSlotPool _pool;
    private byte[] _payloads;
    private int _slots;
    private int _ran;

    // The last remote's native address and end point, and the last arrival address (4 or 16 bytes) and end point.
    private readonly byte[] _lastName = new byte[NativeSocketAddress.StorageSize];
    private int _lastNameLength;
    private IPEndPoint? _lastRemote;
    private readonly byte[] _lastArrivalAddress = new byte[16];
    private int _lastArrivalLength;
    private IPEndPoint _lastArrival;

    public BatchedReceiveLoop(UdpSocketBinding binding, UdpDatagramTransport owner, int maxDatagramSize, bool usePacketInformation, PinnedSlotPool pool)
    {
        _pool = pool;
        _binding = binding;
        _owner = owner;
        _maxDatagramSize = maxDatagramSize;
        _usePacketInformation = usePacketInformation;

        // One byte over the maximum, so that an oversize datagram shows even where the truncation flag would not.
        _stride = (maxDatagramSize + 1 + 15) & ~15;
        _batchSize = Math.Clamp(MaxSlotBytes / _stride, 1, MaxBatchSize);
        _slots = Math.Min(InitialSlots, _batchSize);
        _payloads = pool.Rent(_stride * _slots);
        _lastArrival = binding.LocalEndPoint;
    }

    /// <summary>The receive slots in use: how many datagrams the next call can take.</summary>
    public int Slots => Volatile.Read(ref _slots);

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
    /// <exception cref="InvalidOperationException">The loop ran before (its slots went back to the pool).</exception>
    public void Run()
    {
        if (Interlocked.Exchange(ref _ran, 1) != 0)
        {
            throw new InvalidOperationException("A receive loop runs once.");
        }

        int slot = sizeof(MMsgHdr) + sizeof(IoVec) + NativeSocketAddress.StorageSize + ControlMessages.SlotSize;
        byte* block = (byte*)NativeMemory.AllocZeroed((nuint)(slot * _batchSize));
        using var sends = new SendBatch(_owner);
        try
        {
            var headers = (MMsgHdr*)block;
            var vectors = (IoVec*)(headers + _batchSize);
            byte* names = (byte*)(vectors + _batchSize);
            byte* controls = names + (_batchSize * NativeSocketAddress.StorageSize);
            PointSlots(vectors);
            for (int i = 0; i < _batchSize; i++)
            {
                headers[i].Header.Iov = vectors + i;
                headers[i].Header.IovLength = 1;
                headers[i].Header.Name = names + (i * NativeSocketAddress.StorageSize);
                headers[i].Header.Control = _usePacketInformation ? controls + (i * ControlMessages.SlotSize) : null;
            }

            Loop(headers, vectors, sends);
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

            // The loop is over: nothing reads or receives into the slots any more.
            _pool.Return(_payloads);
            _payloads = [];
        }
    }

    /// <summary>Points the first <see cref="_slots"/> vectors at the slots of <see cref="_payloads"/> (pinned: it does not move).</summary>
    private void PointSlots(IoVec* vectors)
    {
        byte* payloads = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_payloads));
        for (int i = 0; i < _slots; i++)
        {
            vectors[i] = new IoVec { Base = payloads + (i * _stride), Length = (nuint)_stride };
        }
    }

    /// <summary>
    /// After a call that filled every slot: twice the slots, up to the batch size. The old array, whose payloads have all
    /// been delivered, goes back to the pool.
    /// </summary>
    private void Grow(IoVec* vectors)
    {
        int slots = Math.Min(_slots * 2, _batchSize);
        byte[] outgrown = _payloads;
        _payloads = _pool.Rent(_stride * slots);
        Volatile.Write(ref _slots, slots);
        PointSlots(vectors);
        _pool.Return(outgrown);
    }

    private void Loop(MMsgHdr* headers, IoVec* vectors, SendBatch sends)
    {
        SafeSocketHandle handle = _binding.Socket.SafeHandle;

        // Bounded by the transport's life: closing it shuts the socket down, which ends a blocked call (or the poll does).
        while (!_owner.IsClosed)
        {
            // The kernel writes the lengths and flags back: give each slot its full room again.
            for (int i = 0; i < _slots; i++)
            {
                headers[i].Header.NameLength = NativeSocketAddress.StorageSize;
                headers[i].Header.ControlLength = _usePacketInformation ? ControlMessages.SlotSize : 0u;
                headers[i].Header.Flags = 0;
            }

            _owner.Counters.ReceiveCall();
            int count = LinuxSockets.Receive(handle, headers, _slots, out int errno);
            if (count < 0)
            {
                Survive(errno);
            }
            else if (!DeliverAll(headers, count, sends))
            {
                return;
            }
            else if (count == _slots && _slots < _batchSize)
            {
                Grow(vectors);
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
