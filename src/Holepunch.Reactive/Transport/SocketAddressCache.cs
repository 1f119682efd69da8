using System.Net;
using System.Net.Sockets;

namespace Holepunch.Reactive.Transport;

/// <summary>
/// Native socket addresses of recent send targets, so <see cref="Socket.SendTo(ReadOnlySpan{byte}, SocketFlags, SocketAddress)"/>
/// needs no serialisation (and no allocation) per datagram. Safe for concurrent senders: entries are immutable and
/// published whole; a lost race only costs a second serialisation.
/// </summary>
internal sealed class SocketAddressCache
{
    private const int SlotCount = 8;
    private readonly Entry?[] _slots = new Entry?[SlotCount];
    private int _next;

    /// <summary>The native address of <paramref name="remote"/> for a socket of <paramref name="family"/>.</summary>
    /// <remarks>An IPv4 remote is mapped to IPv6 for an IPv6 (dual-mode) socket; an IPv4-mapped remote is unmapped for an IPv4 socket.</remarks>
    public SocketAddress Get(IPEndPoint remote, AddressFamily family)
    {
        for (int i = 0; i < SlotCount; i++)
        {
            Entry? entry = Volatile.Read(ref _slots[i]);
            if (entry is not null && entry.Family == family && entry.Port == remote.Port && entry.Address.Equals(remote.Address))
            {
                return entry.SocketAddress;
            }
        }

        // A copy of the address: IPAddress.ScopeId is settable, and a caller mutating its instance must not alias the entry.
        Span<byte> bytes = stackalloc byte[16];
        remote.Address.TryWriteBytes(bytes, out int length);
        IPAddress key = length == 4 ? new IPAddress(bytes[..4]) : new IPAddress(bytes[..16], remote.Address.ScopeId);

        IPAddress target = key;
        if (family == AddressFamily.InterNetworkV6 && key.AddressFamily == AddressFamily.InterNetwork)
        {
            target = key.MapToIPv6();
        }
        else if (family == AddressFamily.InterNetwork && key.IsIPv4MappedToIPv6)
        {
            target = key.MapToIPv4();
        }

        var created = new Entry(key, remote.Port, family, new IPEndPoint(target, remote.Port).Serialize());
        int slot = (int)((uint)Interlocked.Increment(ref _next) % SlotCount);
        Volatile.Write(ref _slots[slot], created);
        return created.SocketAddress;
    }

    private sealed record Entry(IPAddress Address, int Port, AddressFamily Family, SocketAddress SocketAddress);
}
