using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Holepunch.Reactive.Rendezvous;

/// <summary>
/// An <see cref="IPEndPoint"/> stored in 16 bytes inside its owner: an IPv4 address as a number (no objects at all),
/// an IPv6 address as the <see cref="IPAddress"/> it came as. <see cref="ToEndPoint"/> makes an equal end point again
/// (a new object each call), so a registration holds no end point objects of its own while it waits for joiners.
/// </summary>
internal readonly struct PackedEndPoint : IEquatable<PackedEndPoint>
{
    private readonly IPAddress? _ipv6;
    private readonly uint _ipv4;
    private readonly ushort _port;

    private PackedEndPoint(IPAddress? ipv6, uint ipv4, int port)
    {
        _ipv6 = ipv6;
        _ipv4 = ipv4;
        _port = (ushort)port;
    }

    /// <summary>The port.</summary>
    public int Port => _port;

    /// <summary>Packs <paramref name="endPoint"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="endPoint"/> is <see langword="null"/>.</exception>
    public static PackedEndPoint From(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        return endPoint.AddressFamily == AddressFamily.InterNetwork
            ? new PackedEndPoint(null, IPv4Of(endPoint.Address), endPoint.Port)
            : new PackedEndPoint(endPoint.Address, 0, endPoint.Port);
    }

    /// <summary>A new end point equal to the one packed.</summary>
    public IPEndPoint ToEndPoint() => new(ToAddress(), _port);

    /// <summary>A new address equal to the one packed (for an IPv6 address, the instance packed).</summary>
    public IPAddress ToAddress()
    {
        if (_ipv6 is not null)
        {
            return _ipv6;
        }

        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, _ipv4);
        return new IPAddress(bytes);
    }

    /// <summary>Whether <paramref name="endPoint"/> equals the end point packed (as <see cref="IPEndPoint.Equals(object?)"/> would say), without unpacking.</summary>
    public bool Matches(IPEndPoint endPoint) =>
        endPoint.Port == _port
        && (_ipv6 is null
            ? endPoint.AddressFamily == AddressFamily.InterNetwork && IPv4Of(endPoint.Address) == _ipv4
            : _ipv6.Equals(endPoint.Address));

    /// <summary>Whether <paramref name="address"/> equals the address packed, without unpacking.</summary>
    public bool HasAddress(IPAddress address) =>
        _ipv6 is null
            ? address.AddressFamily == AddressFamily.InterNetwork && IPv4Of(address) == _ipv4
            : _ipv6.Equals(address);

    /// <inheritdoc/>
    public bool Equals(PackedEndPoint other) =>
        _ipv4 == other._ipv4 && _port == other._port && Equals(_ipv6, other._ipv6);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is PackedEndPoint other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_ipv6, _ipv4, _port);

    private static uint IPv4Of(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }
}
