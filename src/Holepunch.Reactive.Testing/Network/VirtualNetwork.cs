using System.Net;
using System.Reactive.Concurrency;
using System.Reactive.Linq;

namespace Holepunch.Reactive.Testing.Network;

/// <summary>
/// A deterministic, in-memory network of <see cref="VirtualHost"/>s and <see cref="VirtualNat"/>s for tests: every
/// delay comes from the scheduler's clock and every chance (loss, jitter, duplication, reordering, port choice) from
/// one <see cref="Random"/> seeded with the given seed, so the same script gives the same run.
/// </summary>
/// <remarks>
/// <para>Hosts on the internet and NATs' public addresses share the internet's address space; each NAT has a
/// private address space of its own. A datagram crosses the sender's access link, the NATs on the way (all at one
/// instant), and the receiver's access link; see <see cref="LinkOptions"/> and <see cref="NatOptions"/>.</para>
/// <para>Everything happens under one lock, in scheduler order; <see cref="Transport.IDatagramTransport.Received"/>
/// and <see cref="Trace"/> emit on the scheduler. Meant for a virtual-time scheduler such as
/// <see cref="TestScheduler"/>.</para>
/// </remarks>
/// <example>
/// <code>
/// using var net = new VirtualNetwork(scheduler, seed: 1, new LinkOptions { Latency = TimeSpan.FromMilliseconds(10) });
/// var server = net.AddHost(IPAddress.Parse("203.0.113.1"));
/// var nat = net.AddNat(IPAddress.Parse("198.51.100.1"), NatOptions.FullCone);
/// var alice = nat.AddHost(IPAddress.Parse("192.168.1.10"));
/// using var transport = alice.Bind(4000);
/// </code>
/// </example>
public sealed class VirtualNetwork : IDisposable
{
    private readonly NetworkFabric _fabric;

    /// <summary>Creates an empty network.</summary>
    /// <param name="scheduler">The clock: every delivery is scheduled on it and every expiry judged by its <see cref="IScheduler.Now"/>.</param>
    /// <param name="seed">The seed of the random source behind every chance and port choice.</param>
    /// <param name="defaultLink">The access link of hosts added without their own, or <see langword="null"/> for a perfect link.</param>
    /// <exception cref="ArgumentNullException"><paramref name="scheduler"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="defaultLink"/> is invalid.</exception>
    public VirtualNetwork(IScheduler scheduler, int seed, LinkOptions? defaultLink = null)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        defaultLink ??= new LinkOptions();
        defaultLink.Validate(nameof(defaultLink));
        _fabric = new NetworkFabric(scheduler, seed, defaultLink);
        Trace = _fabric.Trace.AsObservable();
    }

    /// <summary>Gets the scheduler the network runs on.</summary>
    public IScheduler Scheduler => _fabric.Scheduler;

    /// <summary>Gets the access link of hosts added without their own.</summary>
    public LinkOptions DefaultLink => _fabric.DefaultLink;

    /// <summary>Gets the counters of sent, delivered and dropped datagrams.</summary>
    public NetworkStatistics Statistics => _fabric.Statistics;

    /// <summary>Gets every datagram's final outcome (delivered or dropped, and why), as it happens. Hot; completes when the network is disposed.</summary>
    public IObservable<DatagramTrace> Trace { get; }

    /// <summary>Adds a host on the internet.</summary>
    /// <param name="address">Its public address, unique on the internet (use a documentation range such as 203.0.113.0/24).</param>
    /// <param name="link">Its access link, or <see langword="null"/> for <see cref="DefaultLink"/>.</param>
    /// <returns>The host.</returns>
    /// <exception cref="ObjectDisposedException">The network is disposed.</exception>
    /// <exception cref="ArgumentException"><paramref name="address"/> is already in use on the internet, or <paramref name="link"/> is invalid.</exception>
    public VirtualHost AddHost(IPAddress address, LinkOptions? link = null) => _fabric.AddHost(_fabric.Internet, address, link);

    /// <summary>Adds a NAT box on the internet.</summary>
    /// <param name="publicAddress">Its public address, unique on the internet (use a documentation range such as 198.51.100.0/24).</param>
    /// <param name="options">Its behaviour, or <see langword="null"/> for the defaults (a port-restricted cone).</param>
    /// <returns>The NAT; add hosts behind it with <see cref="VirtualNat.AddHost"/>.</returns>
    /// <exception cref="ObjectDisposedException">The network is disposed.</exception>
    /// <exception cref="ArgumentException"><paramref name="publicAddress"/> is already in use on the internet, or <paramref name="options"/> are invalid.</exception>
    public VirtualNat AddNat(IPAddress publicAddress, NatOptions? options = null) => _fabric.AddNat(_fabric.Internet, publicAddress, options);

    /// <summary>
    /// Drops every datagram between two internet addresses (a route failure, a firewall between two ISPs), both ways,
    /// until <see cref="Unblock"/>; each other address still reaches both.
    /// </summary>
    /// <param name="a">One public address (a host on the internet, or a NAT's public address).</param>
    /// <param name="b">The other.</param>
    public void Block(IPAddress a, IPAddress b) => _fabric.SetBlocked(a, b, blocked: true);

    /// <summary>Lets datagrams between two internet addresses pass again.</summary>
    /// <param name="a">One public address.</param>
    /// <param name="b">The other.</param>
    public void Unblock(IPAddress a, IPAddress b) => _fabric.SetBlocked(a, b, blocked: false);

    /// <summary>
    /// Disposes every bound transport (completing its <see cref="Transport.IDatagramTransport.Received"/>) and completes
    /// <see cref="Trace"/>. Datagrams still in flight are then dropped as <see cref="DatagramOutcome.NoListener"/>.
    /// </summary>
    public void Dispose() => _fabric.Dispose();
}
