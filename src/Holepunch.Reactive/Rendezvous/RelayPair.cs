using System.Net;

namespace Holepunch.Reactive.Rendezvous;

/// <summary>An open relay between a room's host and one joiner, found by its token. Used only on the server's scheduler.</summary>
internal sealed class RelayPair(string token, RelaySide host, RelaySide joiner, DateTimeOffset openedAt)
{
    /// <summary>The token both peers were given.</summary>
    public string Token { get; } = token;

    /// <summary>The room's host.</summary>
    public RelaySide Host { get; } = host;

    /// <summary>The joiner.</summary>
    public RelaySide Joiner { get; } = joiner;

    /// <summary>When the relay was opened (the introduction).</summary>
    public DateTimeOffset OpenedAt { get; } = openedAt;

    /// <summary>When a side last sent a relay datagram, or the relay was (re)introduced.</summary>
    public DateTimeOffset LastActivity { get; set; } = openedAt;

    /// <summary>The pending expiry check.</summary>
    public IDisposable? Timer { get; set; }

    /// <summary>The side that <paramref name="sender"/> at <paramref name="source"/> is, if either.</summary>
    public RelaySide? SideOf(string sender, IPEndPoint source)
    {
        if (Host.EndPoint.Equals(source) && string.Equals(Host.Name, sender, StringComparison.Ordinal))
        {
            return Host;
        }

        return Joiner.EndPoint.Equals(source) && string.Equals(Joiner.Name, sender, StringComparison.Ordinal) ? Joiner : null;
    }

    /// <summary>The side that is not <paramref name="side"/>.</summary>
    public RelaySide Other(RelaySide side) => ReferenceEquals(side, Host) ? Joiner : Host;
}
