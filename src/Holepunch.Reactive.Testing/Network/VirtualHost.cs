using System.Net;
using Holepunch.Reactive.Transport;

namespace Holepunch.Reactive.Testing.Network;

/// <summary>
/// A machine in a <see cref="VirtualNetwork"/>: on the internet, or behind a <see cref="VirtualNat"/>. It owns one
/// or more addresses and binds ports to get <see cref="IDatagramTransport"/>s.
/// </summary>
public sealed class VirtualHost
{
    private const int LowestEphemeralPort = 49152;
    private const int HighestEphemeralPort = 65535;

    private readonly List<IPAddress> _addresses = [];
    private readonly Dictionary<int, VirtualTransport> _wildcard = [];
    private readonly Dictionary<IPEndPoint, VirtualTransport> _specific = [];

    internal VirtualHost(NetworkFabric fabric, AddressRealm realm, IPAddress address, LinkOptions link)
    {
        Fabric = fabric;
        Realm = realm;
        Link = link;
        _addresses.Add(address);
    }

    /// <summary>Gets the host's first address.</summary>
    public IPAddress Address => _addresses[0];

    /// <summary>Gets all of the host's addresses, first one first.</summary>
    public IReadOnlyList<IPAddress> Addresses => _addresses;

    /// <summary>Gets the NAT the host sits behind, or <see langword="null"/> for a host on the internet.</summary>
    public VirtualNat? Nat => Realm.Owner;

    /// <summary>
    /// Gets or sets the host's access link (its own options, or the network's default). Setting it models a link
    /// that degrades or recovers mid-test; datagrams already in flight keep the delay they were given.
    /// </summary>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public LinkOptions Link
    {
        get;
        set => field = value ?? throw new ArgumentNullException(nameof(value));
    }

    internal NetworkFabric Fabric { get; }

    internal AddressRealm Realm { get; }

    /// <summary>Gives the host another address, in the same realm (the internet, or its NAT's private side).</summary>
    /// <param name="address">The address; unique within the realm.</param>
    /// <returns>This host.</returns>
    /// <exception cref="ArgumentException"><paramref name="address"/> is already in use in the realm.</exception>
    public VirtualHost AddAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        lock (Fabric.Gate)
        {
            Realm.Add(address, this);
            _addresses.Add(address);
        }

        return this;
    }

    /// <summary>Binds a port on all of the host's addresses.</summary>
    /// <param name="port">The port, or 0 for a seeded free port in 49152..65535.</param>
    /// <returns>The transport; its <see cref="IDatagramTransport.LocalEndPoint"/> reports the host's first address.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is outside 0..65535.</exception>
    /// <exception cref="InvalidOperationException">The port is already bound (on any address), or no port is free.</exception>
    public IDatagramTransport Bind(int port) => BindCore(null, port);

    /// <summary>Binds a port on one of the host's addresses.</summary>
    /// <param name="address">One of <see cref="Addresses"/>.</param>
    /// <param name="port">The port, or 0 for a seeded free port in 49152..65535.</param>
    /// <returns>The transport.</returns>
    /// <exception cref="ArgumentException"><paramref name="address"/> is not one of the host's addresses.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is outside 0..65535.</exception>
    /// <exception cref="InvalidOperationException">The port is already bound on that address or on all addresses, or no port is free.</exception>
    public IDatagramTransport Bind(IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        return BindCore(address, port);
    }

    /// <inheritdoc/>
    public override string ToString() => Nat is null ? $"host {Address}" : $"host {Address} behind {Nat.PublicAddress}";

    internal bool HasAddress(IPAddress address) => _addresses.Contains(address);

    /// <summary>Finds the transport a datagram to <paramref name="destination"/> arrives at: an exact binding first, then a wildcard one.</summary>
    internal VirtualTransport? FindListener(IPEndPoint destination) =>
        _specific.TryGetValue(destination, out var transport) || _wildcard.TryGetValue(destination.Port, out transport) ? transport : null;

    internal void Unbind(VirtualTransport transport)
    {
        if (transport.BoundAddress is null)
        {
            _wildcard.Remove(transport.LocalEndPoint.Port);
        }
        else
        {
            _specific.Remove(transport.LocalEndPoint);
        }
    }

    /// <summary>Disposes every transport bound on this host.</summary>
    internal void UnbindAll()
    {
        foreach (var transport in _wildcard.Values.Concat(_specific.Values).ToArray())
        {
            transport.Dispose();
        }
    }

    private VirtualTransport BindCore(IPAddress? address, int port)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        lock (Fabric.Gate)
        {
            if (address is not null && !HasAddress(address))
            {
                throw new ArgumentException($"The address {address} does not belong to {this}.", nameof(address));
            }

            if (port == 0)
            {
                port = PortPicker.Pick(Fabric.Random, LowestEphemeralPort, HighestEphemeralPort, (Host: this, Address: address), static (s, p) => s.Host.IsFree(s.Address, p));
                if (port == 0)
                {
                    throw new InvalidOperationException($"No ephemeral port is free on {this}.");
                }
            }
            else if (!IsFree(address, port))
            {
                throw new InvalidOperationException($"The port {port} is already bound on {this}.");
            }

            var transport = new VirtualTransport(this, address, port);
            if (address is null)
            {
                _wildcard.Add(port, transport);
            }
            else
            {
                _specific.Add(transport.LocalEndPoint, transport);
            }

            return transport;
        }
    }

    private bool IsFree(IPAddress? address, int port)
    {
        if (_wildcard.ContainsKey(port))
        {
            return false;
        }

        if (address is not null)
        {
            return !_specific.ContainsKey(new IPEndPoint(address, port));
        }

        foreach (var bound in _specific.Keys)
        {
            if (bound.Port == port)
            {
                return false;
            }
        }

        return true;
    }
}
