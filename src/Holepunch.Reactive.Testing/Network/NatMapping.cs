using System.Net;

namespace Holepunch.Reactive.Testing.Network;

/// <summary>One NAT mapping: an inside endpoint reachable at a public endpoint, plus the filter's permissions.</summary>
internal sealed class NatMapping
{
    /// <summary>Who the inside endpoint sent to, and when last: addresses with port 0 (address-dependent filtering) or endpoints.</summary>
    private readonly Dictionary<IPEndPoint, DateTimeOffset> _permissions = [];

    public NatMapping(NatMappingKey key, IPEndPoint publicEndPoint)
    {
        Key = key;
        PublicEndPoint = publicEndPoint;
    }

    public NatMappingKey Key { get; }

    public IPEndPoint Inside => Key.Inside;

    public IPEndPoint PublicEndPoint { get; }

    /// <summary>Gets or sets when the inside endpoint last sent through this mapping (only outbound traffic refreshes it).</summary>
    public DateTimeOffset LastOutbound { get; set; }

    /// <summary>Gets or sets where the inside endpoint last sent through this mapping.</summary>
    public IPEndPoint? LastDestination { get; set; }

    public void Permit(IPEndPoint remote, DateTimeOffset now) => _permissions[remote] = now;

    /// <summary>The same public endpoint, permissions and times under another key (the NAT changed behaviour).</summary>
    public NatMapping WithKey(NatMappingKey key)
    {
        var copy = new NatMapping(key, PublicEndPoint) { LastOutbound = LastOutbound, LastDestination = LastDestination };
        foreach (var (remote, time) in _permissions)
        {
            copy._permissions[remote] = time;
        }

        return copy;
    }

    public bool IsPermitted(IPEndPoint remote, DateTimeOffset now, TimeSpan timeout) =>
        _permissions.TryGetValue(remote, out var last) && now - last < timeout;
}
