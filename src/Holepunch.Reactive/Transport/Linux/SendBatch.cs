using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Holepunch.Reactive.Transport.Linux;

/// <summary>
/// The sends a receive thread makes while it delivers a received batch (a server answering inline), held and handed to
/// the kernel together after the batch's deliveries: one <c>sendmmsg</c> per run of sends through one socket instead
/// of one <c>sendto</c> each. Owned by one receive thread; sends from any other thread never come here.
/// </summary>
/// <remarks>
/// A send is held no longer than the batch it was made in (or until <see cref="MaxMessages"/> sends or
/// <see cref="AreaSize"/> bytes are pending, when the pending ones leave first). The payload is copied, since the
/// caller's span is only valid during the send. A send held here has returned <see langword="true"/>; a failure
/// when it leaves is counted in <see cref="UdpTransportStatistics.SendFailures"/>.
/// </remarks>
internal sealed unsafe class SendBatch : IDisposable
{
    /// <summary>The most sends held at once.</summary>
    public const int MaxMessages = 64;

    /// <summary>The payload bytes held at once: room for any one datagram (at most 65,527 bytes).</summary>
    public const int AreaSize = 65_536;

    /// <summary>Room for one target address (a <c>sockaddr_in6</c> takes 28 bytes).</summary>
    private const int NameSize = 32;

    [ThreadStatic]
    private static SendBatch? t_open;

    private readonly UdpDatagramTransport _owner;
    private readonly UdpSocketBinding?[] _bindings = new UdpSocketBinding?[MaxMessages];
    private MMsgHdr* _headers;
    private IoVec* _vectors;
    private byte* _names;
    private byte* _area;
    private int _count;
    private int _used;

    public SendBatch(UdpDatagramTransport owner) => _owner = owner;

    /// <summary>The batch open on the calling thread for <paramref name="transport"/>, if that thread is delivering one.</summary>
    public static SendBatch? OpenOnThisThread(UdpDatagramTransport transport)
    {
        SendBatch? open = t_open;
        return open is not null && ReferenceEquals(open._owner, transport) ? open : null;
    }

    /// <summary>Makes sends on this thread come here until <see cref="Close"/>.</summary>
    public void Open() => t_open = this;

    /// <summary>Makes sends on this thread leave at once again (call <see cref="Flush"/> after it).</summary>
    public void Close()
    {
        if (t_open == this)
        {
            t_open = null;
        }
    }

    /// <summary>Holds one datagram for <paramref name="binding"/>'s socket, the pending ones leaving first when full.</summary>
    public void Add(UdpSocketBinding binding, ReadOnlySpan<byte> payload, SocketAddress target)
    {
        if (_count == MaxMessages || _used + payload.Length > AreaSize)
        {
            Flush();
        }

        if (_headers == null)
        {
            Allocate();
        }

        byte* data = _area + _used;
        payload.CopyTo(new Span<byte>(data, payload.Length));
        byte* name = _names + (_count * NameSize);
        target.Buffer.Span[..target.Size].CopyTo(new Span<byte>(name, NameSize));

        _vectors[_count] = new IoVec { Base = data, Length = (nuint)payload.Length };
        _headers[_count] = new MMsgHdr
        {
            Header = new MsgHdr { Name = name, NameLength = (uint)target.Size, Iov = _vectors + _count, IovLength = 1 },
        };
        _bindings[_count] = binding;
        _count++;
        _used += payload.Length;
    }

    /// <summary>Sends what is pending, in order, one call per run of sends through the same socket.</summary>
    public void Flush()
    {
        int start = 0;
        while (start < _count)
        {
            UdpSocketBinding binding = _bindings[start]!;
            int end = start + 1;
            while (end < _count && ReferenceEquals(_bindings[end], binding))
            {
                end++;
            }

            Send(binding.Socket, start, end);
            start = end;
        }

        Array.Clear(_bindings, 0, _count);
        _count = 0;
        _used = 0;
    }

    /// <summary>Frees the native memory; call on the owning thread once it sends no more.</summary>
    public void Dispose()
    {
        Close();
        NativeMemory.Free(_headers);
        _headers = null;
    }

    private void Send(Socket socket, int start, int end)
    {
        UdpTransportCounters counters = _owner.Counters;

        // Bounded: every pass sends at least one message or counts the first as failed and skips it.
        while (start < end)
        {
            int sent;
            try
            {
                counters.SendCall();
                sent = LinuxSockets.Send(socket.SafeHandle, _headers + start, end - start, out _);
            }
            catch (ObjectDisposedException)
            {
                // Closed meanwhile: none of the rest can leave.
                for (; start < end; start++)
                {
                    counters.SendFailed();
                }

                return;
            }

            if (sent <= 0)
            {
                // sendmmsg reports an error only for the first message of the call; the others are tried again.
                counters.SendFailed();
                start++;
                continue;
            }

            for (int i = start; i < start + sent; i++)
            {
                counters.Sent((int)_headers[i].Length);
            }

            start += sent;
        }
    }

    private void Allocate()
    {
        // One block: the headers, their buffer descriptors, the target addresses, then the payloads.
        nuint size = (nuint)((MaxMessages * (sizeof(MMsgHdr) + sizeof(IoVec) + NameSize)) + AreaSize);
        byte* block = (byte*)NativeMemory.Alloc(size);
        _headers = (MMsgHdr*)block;
        _vectors = (IoVec*)(_headers + MaxMessages);
        _names = (byte*)(_vectors + MaxMessages);
        _area = _names + (MaxMessages * NameSize);
    }
}
