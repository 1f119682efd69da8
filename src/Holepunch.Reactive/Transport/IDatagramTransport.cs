using System.Net;

namespace Holepunch.Reactive.Transport;

/// <summary>
/// A datagram socket as an observable: inbound datagrams are pushed to <see cref="Received"/>, outbound ones
/// leave through <see cref="Send"/>. One transport carries both rendezvous and peer traffic, because the NAT
/// mapping the rendezvous server observes is the one that peers must reach.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>Event</term><description>Behaviour</description></listheader>
/// <item><term>OnNext</term><description>One datagram; its payload is valid only until <c>OnNext</c> returns.</description></item>
/// <item><term>OnError</term><description>Never for bad input or transient socket errors (those are counted); only for a fatal socket failure.</description></item>
/// <item><term>OnCompleted</term><description>When the transport is disposed.</description></item>
/// </list>
/// </remarks>
public interface IDatagramTransport : IDisposable
{
    /// <summary>The address and port the transport is bound to (the actual port when bound to port 0).</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>Inbound datagrams. Hot: subscribers see datagrams that arrive after they subscribe.</summary>
    IObservable<Datagram> Received { get; }

    /// <summary>Sends one datagram without waiting.</summary>
    /// <param name="payload">The bytes to send; copied before the method returns.</param>
    /// <param name="remoteEndPoint">Where to send it.</param>
    /// <param name="localAddress">
    /// The local address to send from, for a host with several addresses (reply from the address the request
    /// arrived at); <see langword="null"/> lets the operating system choose.
    /// </param>
    /// <returns><see langword="false"/> when the datagram could not be handed to the network (the failure is counted).</returns>
    bool Send(ReadOnlySpan<byte> payload, IPEndPoint remoteEndPoint, IPAddress? localAddress = null);
}
