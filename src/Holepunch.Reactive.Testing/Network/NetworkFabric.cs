using System.Net;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Subjects;
using Holepunch.Reactive.Transport;

namespace Holepunch.Reactive.Testing.Network;

/// <summary>
/// The state and routing of a <see cref="VirtualNetwork"/>. A datagram goes through three stages:
/// <list type="number">
/// <item><description><see cref="Send"/>: copied, then the sender's link decides loss, duplication and delay.</description></item>
/// <item><description><see cref="Route"/>, after that delay: up through the sender's NATs (outbound translation),
/// across, and down through the receiver's NATs (inbound translation and filtering), all at that instant;
/// then the receiver's link decides loss, duplication and delay.</description></item>
/// <item><description><see cref="Deliver"/>, after that delay: to the transport bound on the destination port.</description></item>
/// </list>
/// One gate guards all state and the random source, so every decision happens in scheduler order.
/// </summary>
internal sealed class NetworkFabric : IDisposable
{
    /// <summary>Bounds routing: a path goes up through each enclosing NAT and down through each NAT once.</summary>
    private const int MaxHops = 64;

    private readonly Subject<DatagramTrace> _trace = new();
    private readonly List<VirtualHost> _hosts = [];
    private readonly HashSet<(IPAddress, IPAddress)> _blocked = [];
    private bool _disposed;

    public NetworkFabric(IScheduler scheduler, int seed, LinkOptions defaultLink)
    {
        Scheduler = scheduler;
        Random = new Random(seed);
        DefaultLink = defaultLink;
        Internet = new AddressRealm(null);
    }

    public object Gate { get; } = new();

    public IScheduler Scheduler { get; }

    public Random Random { get; }

    public LinkOptions DefaultLink { get; }

    public AddressRealm Internet { get; }

    public NetworkStatistics Statistics { get; } = new();

    public IObservable<DatagramTrace> Trace => _trace;

    public VirtualHost AddHost(AddressRealm realm, IPAddress address, LinkOptions? link)
    {
        ArgumentNullException.ThrowIfNull(address);
        link?.Validate(nameof(link));
        lock (Gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var host = new VirtualHost(this, realm, address, link ?? DefaultLink);
            realm.Add(address, host);
            _hosts.Add(host);
            return host;
        }
    }

    public VirtualNat AddNat(AddressRealm realm, IPAddress address, NatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(address);
        options ??= new NatOptions();
        options.Validate();
        lock (Gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var nat = new VirtualNat(this, realm, address, options);
            realm.Add(address, nat);
            return nat;
        }
    }

    public bool Send(VirtualTransport transport, ReadOnlySpan<byte> payload, IPEndPoint remote, IPAddress? localAddress)
    {
        var destination = remote.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(remote.Address.MapToIPv4(), remote.Port) : remote;
        lock (Gate)
        {
            Statistics.RecordSent();
            if (transport.IsDisposed)
            {
                Record(DatagramOutcome.SenderClosed, transport.LocalEndPoint, destination, payload.Length);
                return false;
            }

            var source = SourceAddress(transport, localAddress);
            if (source is null)
            {
                Record(DatagramOutcome.InvalidSource, new IPEndPoint(localAddress!, transport.LocalEndPoint.Port), destination, payload.Length);
                return false;
            }

            var packet = new VirtualPacket(payload.ToArray(), new IPEndPoint(source, transport.LocalEndPoint.Port), destination, transport.Host, null);
            Transmit(transport.Host.Link, packet, static (_, p) =>
            {
                p.Sender.Fabric.Route(p);
                return Disposable.Empty;
            });
            return true;
        }
    }

    /// <summary>Cuts two internet addresses off from each other, both ways, or joins them again.</summary>
    public void SetBlocked(IPAddress a, IPAddress b, bool blocked)
    {
        lock (Gate)
        {
            if (blocked)
            {
                _blocked.Add((a, b));
                _blocked.Add((b, a));
            }
            else
            {
                _blocked.Remove((a, b));
                _blocked.Remove((b, a));
            }
        }
    }

    /// <summary>Disposes every bound transport and completes the trace.</summary>
    public void Dispose()
    {
        lock (Gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var host in _hosts)
            {
                host.UnbindAll();
            }

            _trace.OnCompleted();
            _trace.Dispose();
        }
    }

    private static IPAddress? SourceAddress(VirtualTransport transport, IPAddress? requested)
    {
        if (requested is not null && requested.IsIPv4MappedToIPv6)
        {
            requested = requested.MapToIPv4();
        }

        if (requested is null || requested.Equals(IPAddress.Any) || requested.Equals(IPAddress.IPv6Any))
        {
            return transport.BoundAddress ?? transport.Host.Address;
        }

        if (transport.BoundAddress is { } bound)
        {
            return bound.Equals(requested) ? bound : null;
        }

        return transport.Host.HasAddress(requested) ? requested : null;
    }

    /// <summary>Crosses one link: maybe loses the packet, else schedules it (and maybe a duplicate) for <paramref name="next"/>.</summary>
    private void Transmit(LinkOptions link, VirtualPacket packet, Func<IScheduler, VirtualPacket, IDisposable> next)
    {
        if (link.Loss > 0 && Random.NextDouble() < link.Loss)
        {
            Record(DatagramOutcome.Lost, packet);
            return;
        }

        var copies = link.Duplication > 0 && Random.NextDouble() < link.Duplication ? 2 : 1;
        for (var copy = 0; copy < copies; copy++)
        {
            if (copy > 0)
            {
                Statistics.RecordDuplicate();
            }

            Scheduler.Schedule(packet, Delay(link), next);
        }
    }

    private TimeSpan Delay(LinkOptions link)
    {
        var delay = link.Latency;
        if (link.Jitter > TimeSpan.Zero)
        {
            delay += TimeSpan.FromTicks((long)(link.Jitter.Ticks * Random.NextDouble()));
        }

        if (link.Reordering > 0 && Random.NextDouble() < link.Reordering)
        {
            delay += link.ReorderDelay;
        }

        return delay;
    }

    /// <summary>Stage 2: from the sender's edge through the NATs to the receiving host's link.</summary>
    private void Route(VirtualPacket packet)
    {
        lock (Gate)
        {
            var now = Scheduler.Now;
            var realm = packet.Sender.Realm;
            for (var hop = 0; hop < MaxHops; hop++)
            {
                var address = packet.Destination.Address;
                if (realm == Internet && _blocked.Contains((packet.Source.Address, address)))
                {
                    Record(DatagramOutcome.Blocked, packet);
                    return;
                }

                if (realm.TryGetHost(address, out var host))
                {
                    Transmit(host.Link, packet with { Receiver = host }, static (_, p) =>
                    {
                        p.Sender.Fabric.Deliver(p);
                        return Disposable.Empty;
                    });
                    return;
                }

                if (realm.TryGetNat(address, out var nat))
                {
                    if (!nat.Options.Hairpinning && nat.Contains(packet.Sender))
                    {
                        Record(DatagramOutcome.HairpinDisabled, packet);
                        return;
                    }

                    if (!nat.Translator.TryInbound(packet.Destination.Port, packet.Source, now, out var inside, out var failure))
                    {
                        Record(failure, packet);
                        return;
                    }

                    packet = packet with { Destination = inside };
                    realm = nat.Inside;
                    continue;
                }

                if (realm.Owner is not { } owner)
                {
                    break;
                }

                if (!owner.Translator.TryOutbound(packet.Source, packet.Destination, now, Random, out var outside))
                {
                    Record(DatagramOutcome.PortsExhausted, packet);
                    return;
                }

                packet = packet with { Source = outside };
                realm = owner.Outside;
            }

            Record(DatagramOutcome.NoRoute, packet);
        }
    }

    /// <summary>Stage 3: to the transport bound on the destination port, if any.</summary>
    private void Deliver(VirtualPacket packet)
    {
        lock (Gate)
        {
            var listener = packet.Receiver!.FindListener(packet.Destination);
            if (listener is null)
            {
                Record(DatagramOutcome.NoListener, packet);
                return;
            }

            Record(DatagramOutcome.Delivered, packet);
            listener.Deliver(new Datagram(packet.Payload, packet.Source, packet.Destination));
        }
    }

    private void Record(DatagramOutcome outcome, VirtualPacket packet) =>
        Record(outcome, packet.Source, packet.Destination, packet.Payload.Length);

    private void Record(DatagramOutcome outcome, IPEndPoint source, IPEndPoint destination, int length)
    {
        Statistics.Record(outcome);
        if (!_disposed)
        {
            _trace.OnNext(new DatagramTrace(Scheduler.Now, source, destination, length, outcome));
        }
    }
}
