using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Holepunch.Reactive.Testing.Network;

/// <summary>
/// One address space: the internet (no owner) or the private side of a NAT. Addresses are unique within a realm,
/// so two NATs may each hold a 192.168.1.10.
/// </summary>
internal sealed class AddressRealm
{
    private readonly Dictionary<IPAddress, VirtualHost> _hosts = [];
    private readonly Dictionary<IPAddress, VirtualNat> _nats = [];

    public AddressRealm(VirtualNat? owner) => Owner = owner;

    /// <summary>Gets the NAT whose private side this is, or <see langword="null"/> for the internet.</summary>
    public VirtualNat? Owner { get; }

    public bool TryGetHost(IPAddress address, [NotNullWhen(true)] out VirtualHost? host) => _hosts.TryGetValue(address, out host);

    public bool TryGetNat(IPAddress address, [NotNullWhen(true)] out VirtualNat? nat) => _nats.TryGetValue(address, out nat);

    public void Add(IPAddress address, VirtualHost host)
    {
        EnsureFree(address);
        _hosts.Add(address, host);
    }

    public void Add(IPAddress address, VirtualNat nat)
    {
        EnsureFree(address);
        _nats.Add(address, nat);
    }

    private void EnsureFree(IPAddress address)
    {
        if (_hosts.ContainsKey(address) || _nats.ContainsKey(address))
        {
            var where = Owner is null ? "on the internet" : $"behind the NAT {Owner.PublicAddress}";
            throw new ArgumentException($"The address {address} is already in use {where}.", nameof(address));
        }
    }
}
