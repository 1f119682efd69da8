using System.Net;

namespace Holepunch.Reactive.Testing.Network;

/// <summary>
/// A NAT box in a <see cref="VirtualNetwork"/>: a public address on the outside, a private realm of hosts (a LAN,
/// where they reach each other directly by private address) on the inside, and RFC 4787 mapping, filtering, port
/// preservation, hairpinning and mapping timeout as set by its <see cref="NatOptions"/>. NATs may nest (a home NAT
/// behind a carrier-grade NAT).
/// </summary>
public sealed class VirtualNat
{
    internal VirtualNat(NetworkFabric fabric, AddressRealm outside, IPAddress publicAddress, NatOptions options)
    {
        Fabric = fabric;
        Outside = outside;
        PublicAddress = publicAddress;
        Inside = new AddressRealm(this);
        Translator = new NatTranslator(publicAddress, options);
        Options = options;
    }

    /// <summary>Gets the NAT's address on its outside (on the internet, or behind <see cref="Parent"/>).</summary>
    public IPAddress PublicAddress { get; }

    /// <summary>
    /// Gets or sets the NAT's behaviour. Setting it models a NAT that changes mid-test (a router update, a carrier
    /// NAT that starts preserving mappings): live mappings keep their public ports and are re-keyed under the new
    /// mapping behaviour; everything after follows the new options.
    /// </summary>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public NatOptions Options
    {
        get;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            lock (Fabric.Gate)
            {
                field = value;
                Translator.Reconfigure(value, Fabric.Scheduler.Now);
            }
        }
    }

    /// <summary>Gets the NAT this one sits behind, or <see langword="null"/> when it is on the internet.</summary>
    public VirtualNat? Parent => Outside.Owner;

    /// <summary>Gets the number of mappings alive now (expired ones are removed as they are counted).</summary>
    public int ActiveMappings
    {
        get
        {
            lock (Fabric.Gate)
            {
                return Translator.CountLive(Fabric.Scheduler.Now);
            }
        }
    }

    internal NetworkFabric Fabric { get; }

    internal AddressRealm Outside { get; }

    internal AddressRealm Inside { get; }

    internal NatTranslator Translator { get; }

    /// <summary>Adds a host behind this NAT.</summary>
    /// <param name="privateAddress">Its address, unique behind this NAT (use a private range such as 192.168.0.0/16).</param>
    /// <param name="link">Its access link, or <see langword="null"/> for the network's default.</param>
    /// <returns>The host.</returns>
    /// <exception cref="ArgumentException"><paramref name="privateAddress"/> is already in use behind this NAT, or <paramref name="link"/> is invalid.</exception>
    public VirtualHost AddHost(IPAddress privateAddress, LinkOptions? link = null) => Fabric.AddHost(Inside, privateAddress, link);

    /// <summary>Adds a NAT behind this NAT (this one acting as a carrier-grade NAT).</summary>
    /// <param name="address">The inner NAT's outside address, unique behind this NAT (for example in 100.64.0.0/10).</param>
    /// <param name="options">The inner NAT's behaviour, or <see langword="null"/> for the defaults.</param>
    /// <returns>The inner NAT.</returns>
    /// <exception cref="ArgumentException"><paramref name="address"/> is already in use behind this NAT, or <paramref name="options"/> are invalid.</exception>
    public VirtualNat AddNat(IPAddress address, NatOptions? options = null) => Fabric.AddNat(Inside, address, options);

    /// <inheritdoc/>
    public override string ToString() => $"NAT {PublicAddress}";

    /// <summary>Gets whether <paramref name="host"/> sits behind this NAT, directly or through inner NATs.</summary>
    internal bool Contains(VirtualHost host)
    {
        for (var nat = host.Nat; nat is not null; nat = nat.Parent)
        {
            if (nat == this)
            {
                return true;
            }
        }

        return false;
    }
}
