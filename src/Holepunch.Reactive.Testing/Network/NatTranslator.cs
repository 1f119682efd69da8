using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Holepunch.Reactive.Testing.Network;

/// <summary>
/// The mapping table of one NAT (RFC 4787): creates and refreshes mappings on the way out, translates and filters
/// on the way in. Expiry is lazy: a mapping whose last outbound use is <see cref="NatOptions.MappingTimeout"/> old
/// is removed when next looked at.
/// </summary>
internal sealed class NatTranslator
{
    private const int LowestPublicPort = 1024;
    private const int HighestPublicPort = 65535;

    private readonly IPAddress _publicAddress;
    private NatOptions _options;
    private readonly Dictionary<NatMappingKey, NatMapping> _byKey = [];
    private readonly Dictionary<int, NatMapping> _byPort = [];

    public NatTranslator(IPAddress publicAddress, NatOptions options)
    {
        _publicAddress = publicAddress;
        _options = options;
    }

    /// <summary>
    /// Changes the NAT's behaviour from now on. Live mappings keep their public ports and are re-keyed under the new
    /// mapping behaviour by their last destination; where several collapse into one key (becoming endpoint-independent)
    /// the most recently used one stays.
    /// </summary>
    public void Reconfigure(NatOptions options, DateTimeOffset now)
    {
        var live = _byPort.Values.Where(m => !Expire(m, now)).OrderBy(m => m.LastOutbound).ToArray();
        _options = options;
        _byKey.Clear();
        _byPort.Clear();
        foreach (var mapping in live)
        {
            var key = NatMappingKey.For(options.Mapping, mapping.Inside, mapping.LastDestination ?? mapping.Inside);
            if (_byKey.Remove(key, out var older))
            {
                _byPort.Remove(older.PublicEndPoint.Port);
            }

            var rekeyed = mapping.WithKey(key);
            _byKey[key] = rekeyed;
            _byPort[rekeyed.PublicEndPoint.Port] = rekeyed;
        }
    }

    /// <summary>Gets the number of mappings still alive at <paramref name="now"/> (and drops the expired ones).</summary>
    public int CountLive(DateTimeOffset now)
    {
        foreach (var mapping in _byPort.Values.ToArray())
        {
            Expire(mapping, now);
        }

        return _byPort.Count;
    }

    /// <summary>Translates an outbound datagram's source, creating or refreshing its mapping.</summary>
    /// <returns><see langword="false"/> when a new mapping was needed and no public port was free.</returns>
    public bool TryOutbound(IPEndPoint source, IPEndPoint destination, DateTimeOffset now, Random random, [NotNullWhen(true)] out IPEndPoint? translated)
    {
        var key = NatMappingKey.For(_options.Mapping, source, destination);
        if (!_byKey.TryGetValue(key, out var mapping) || Expire(mapping, now))
        {
            var port = Allocate(source.Port, now, random);
            if (port == 0)
            {
                translated = null;
                return false;
            }

            mapping = new NatMapping(key, new IPEndPoint(_publicAddress, port));
            _byKey.Add(key, mapping);
            _byPort.Add(port, mapping);
        }

        mapping.LastOutbound = now;
        mapping.LastDestination = destination;
        switch (_options.Filtering)
        {
            case NatBehavior.AddressDependent:
                mapping.Permit(new IPEndPoint(destination.Address, 0), now);
                break;
            case NatBehavior.AddressAndPortDependent:
                mapping.Permit(destination, now);
                break;
        }

        translated = mapping.PublicEndPoint;
        return true;
    }

    /// <summary>Translates an inbound datagram's destination, if a live mapping exists and the filter lets the source in.</summary>
    /// <returns><see langword="false"/> with <paramref name="failure"/> set to the drop reason otherwise.</returns>
    public bool TryInbound(int publicPort, IPEndPoint source, DateTimeOffset now, [NotNullWhen(true)] out IPEndPoint? inside, out DatagramOutcome failure)
    {
        inside = null;
        if (!_byPort.TryGetValue(publicPort, out var mapping) || Expire(mapping, now))
        {
            failure = DatagramOutcome.NoMapping;
            return false;
        }

        var permitted = _options.Filtering switch
        {
            NatBehavior.EndpointIndependent => true,
            NatBehavior.AddressDependent => mapping.IsPermitted(new IPEndPoint(source.Address, 0), now, _options.MappingTimeout),
            _ => mapping.IsPermitted(source, now, _options.MappingTimeout),
        };
        if (!permitted)
        {
            failure = DatagramOutcome.Filtered;
            return false;
        }

        inside = mapping.Inside;
        failure = DatagramOutcome.Delivered;
        return true;
    }

    private int Allocate(int preferred, DateTimeOffset now, Random random)
    {
        if (_options.PortPreservation && preferred > 0 && IsFree(preferred, now))
        {
            return preferred;
        }

        return PortPicker.Pick(random, LowestPublicPort, HighestPublicPort, (Translator: this, Now: now), static (s, port) => s.Translator.IsFree(port, s.Now));
    }

    private bool IsFree(int port, DateTimeOffset now) => !_byPort.TryGetValue(port, out var mapping) || Expire(mapping, now);

    /// <summary>Removes <paramref name="mapping"/> if it has expired.</summary>
    /// <returns><see langword="true"/> when it had expired.</returns>
    private bool Expire(NatMapping mapping, DateTimeOffset now)
    {
        if (now - mapping.LastOutbound < _options.MappingTimeout)
        {
            return false;
        }

        _byKey.Remove(mapping.Key);
        _byPort.Remove(mapping.PublicEndPoint.Port);
        return true;
    }
}
