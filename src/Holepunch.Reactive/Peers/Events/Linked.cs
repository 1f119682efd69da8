using System.Net;

namespace Holepunch.Reactive.Peers.Events;

/// <summary>The rendezvous server introduced a peer; punching to it starts.</summary>
/// <param name="PeerName">The peer.</param>
/// <param name="GlobalEndPoint">Its address as the server saw it.</param>
/// <param name="LocalEndPoint">Its address as it reported it.</param>
public sealed record Linked(string PeerName, IPEndPoint GlobalEndPoint, IPEndPoint LocalEndPoint) : HolepunchEvent;
