using System.Net;
using Holepunch.Reactive.Protocol;

namespace Holepunch.Reactive.Peers.Internal;

/// <summary>
/// An introduction whose session keys are being agreed off the client's loop, and the peer's datagrams that arrived
/// meanwhile (held, bounded, and handled once the keys are ready: the peer's first probe is not lost to the agreement).
/// Runs on the client's scheduler.
/// </summary>
internal sealed class PendingIntroduction(ProvidingPeerHandshakeInfo info)
{
    /// <summary>The most datagrams held for one peer; more are dropped (a peer probes a few times a second).</summary>
    public const int MaxHeld = 16;

    private readonly List<(PeerOriginatedMessage Message, IPEndPoint From)> _held = [];

    public ProvidingPeerHandshakeInfo Info { get; } = info;

    public IReadOnlyList<(PeerOriginatedMessage Message, IPEndPoint From)> Held => _held;

    /// <summary>Whether <paramref name="from"/> is one of the addresses the server gave for the peer.</summary>
    public bool IsRecordedAddress(IPEndPoint from) => from.Equals(Info.GlobalEndPoint) || from.Equals(Info.LocalEndPoint);

    /// <summary>Holds a datagram from the peer; <see langword="false"/> when already holding <see cref="MaxHeld"/>.</summary>
    public bool TryHold(PeerOriginatedMessage message, IPEndPoint from)
    {
        if (_held.Count >= MaxHeld)
        {
            return false;
        }

        _held.Add((message, from));
        return true;
    }
}
