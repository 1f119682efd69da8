using System.Net;
using System.Net.Sockets;

namespace Holepunch.Reactive.Transport;

/// <summary>Settings for <see cref="UdpDatagramTransport.Bind(UdpTransportOptions)"/>, validated once when the transport is bound.</summary>
/// <remarks>
/// <para>
/// Sending from a chosen local address: .NET cannot pass <c>IP_PKTINFO</c> to <c>sendmsg</c>, so a socket bound to a
/// wildcard address cannot pick the source address of one datagram. Instead the transport binds one extra socket per
/// address in <see cref="AdditionalBindAddresses"/> (and, with <see cref="BindAllLocalAddresses"/>, per unicast
/// address of the host), all on the port of <see cref="BindEndPoint"/>, and sends through the socket whose address
/// matches. The operating system then delivers datagrams addressed to such an address to its own socket, so they
/// arrive with that address as their local end point.
/// </para>
/// <para>
/// Limits: the sockets share the port through <c>SO_REUSEADDR</c> (which .NET also maps to <c>SO_REUSEPORT</c> on
/// Unix), so another process of the same user could bind the same address and port; addresses added to the host
/// after binding get no socket; tested on Linux (where all of 127.0.0.0/8 reaches the loopback interface).
/// </para>
/// </remarks>
public sealed record UdpTransportOptions
{
    /// <summary>The largest UDP payload over IPv4 (65,535 − 8 byte UDP header − 20 byte IPv4 header).</summary>
    public const int MaxIPv4DatagramSize = 65_507;

    /// <summary>The largest UDP payload over IPv6 without jumbograms (65,535 − 8 byte UDP header).</summary>
    public const int MaxIPv6DatagramSize = 65_527;

    /// <summary>The address and port to bind; port 0 lets the operating system choose.</summary>
    /// <value>The default value is <c>0.0.0.0:0</c>.</value>
    public IPEndPoint BindEndPoint { get; init; } = new(IPAddress.Any, 0);

    /// <summary>Whether a socket bound to an IPv6 address also carries IPv4 (a dual-mode socket).</summary>
    /// <value>The default value is <see langword="true"/>; ignored for an IPv4 <see cref="BindEndPoint"/>.</value>
    public bool DualMode { get; init; } = true;

    /// <summary>The largest payload sent or received; larger inbound datagrams are counted and dropped, larger sends fail.</summary>
    /// <value>The default value is <see cref="MaxIPv4DatagramSize"/> (65,507). Valid from 1 to <see cref="MaxIPv6DatagramSize"/>.</value>
    public int MaxDatagramSize { get; init; } = MaxIPv4DatagramSize;

    /// <summary>The socket's kernel receive buffer size in bytes (<c>SO_RCVBUF</c>); <see langword="null"/> keeps the OS default.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? ReceiveBufferSize { get; init; }

    /// <summary>The socket's kernel send buffer size in bytes (<c>SO_SNDBUF</c>); <see langword="null"/> keeps the OS default.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? SendBufferSize { get; init; }

    /// <summary>
    /// Whether a socket bound to a wildcard address asks for packet information (<c>IP_PKTINFO</c> /
    /// <c>IPV6_PKTINFO</c>) to report the address each datagram arrived on. Turning it off saves an allocation
    /// per datagram; <see cref="Datagram.LocalEndPoint"/> is then the wildcard end point.
    /// </summary>
    /// <value>The default value is <see langword="true"/>. Sockets bound to one address never need it.</value>
    public bool ReceivePacketInformation { get; init; } = true;

    /// <summary>
    /// More local addresses to bind, each with its own socket on the same port, so that
    /// <see cref="IDatagramTransport.Send"/> can leave from them; binding any of them failing fails the transport.
    /// </summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<IPAddress> AdditionalBindAddresses { get; init; } = [];

    /// <summary>
    /// Whether a transport bound to a wildcard address also binds every unicast address of the host's interfaces
    /// (those that are up), of the families the wildcard socket carries; addresses that cannot be bound are skipped.
    /// A local address that enumeration missed (added later, or part of a local route such as 127.0.0.2 on Linux)
    /// is bound the first time a datagram must leave from it, so that replies leave from the address each request
    /// arrived at (at most 64 such addresses).
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool BindAllLocalAddresses { get; init; }

    /// <summary>
    /// Whether, on Linux, each socket receives with <c>recvmmsg</c> (the datagrams already queued, up to 32, in one
    /// system call) and the replies that observers send on the receive thread while a batch is delivered leave together
    /// with <c>sendmmsg</c> once the batch has been delivered (see <see cref="UdpDatagramTransport.Send"/>). Fewer
    /// system calls and thread wake-ups under load; no difference in what is delivered or sent. Each socket then holds
    /// one receive buffer of <see cref="MaxDatagramSize"/> per datagram of a batch: two at first, doubled whenever a call
    /// fills them all, up to 1 MiB (16 datagrams at the default size, 32 at 32 KiB or less). The OS commits the pages
    /// only as far as datagrams fill them. A closed socket's buffers are kept (a few MiB at most) for the next socket:
    /// a payload kept past its delivery may then show another socket's datagram.
    /// </summary>
    /// <value>
    /// The default value is <see langword="true"/>. Ignored (the managed socket calls are used) on other systems or
    /// where libc does not export the calls.
    /// </value>
    public bool BatchedReceive { get; init; } = true;

    /// <summary>
    /// How long a blocked receive waits before its loop looks at the closed flag again; closing the transport normally
    /// wakes it first. Internal: tests lengthen it to show that closing wakes the receive.
    /// </summary>
    internal TimeSpan ReceivePoll { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Where the batched receive loops rent their pinned slots (tests give one of their own).</summary>
    internal Linux.PinnedSlotPool SlotPool { get; init; } = Linux.PinnedSlotPool.Shared;

    /// <summary>
    /// Runs first on each receive thread, before its first receive: the client warms the thread's cryptography there
    /// (see <see cref="Peers.Internal.PeerKeyPair.WarmUpThread"/>), since a peer's introduction is handled on it. What
    /// the hook throws is ignored: receiving starts regardless.
    /// </summary>
    internal Action? ReceiveThreadStarting { get; init; }

    /// <summary>Checks the options and throws one exception listing every problem.</summary>
    /// <exception cref="ArgumentException">At least one option is invalid.</exception>
    internal void Validate()
    {
        List<string> errors = [];
        if (BindEndPoint is null)
        {
            errors.Add($"{nameof(BindEndPoint)} is required.");
        }

        if (MaxDatagramSize is < 1 or > MaxIPv6DatagramSize)
        {
            errors.Add($"{nameof(MaxDatagramSize)} must be between 1 and {MaxIPv6DatagramSize}, not {MaxDatagramSize}.");
        }

        if (ReceiveBufferSize is <= 0)
        {
            errors.Add($"{nameof(ReceiveBufferSize)} must be positive when set, not {ReceiveBufferSize}.");
        }

        if (SendBufferSize is <= 0)
        {
            errors.Add($"{nameof(SendBufferSize)} must be positive when set, not {SendBufferSize}.");
        }

        if (AdditionalBindAddresses is null)
        {
            errors.Add($"{nameof(AdditionalBindAddresses)} must not be null.");
        }
        else
        {
            foreach (IPAddress? address in AdditionalBindAddresses)
            {
                if (address is null || !IsUnicast(address))
                {
                    errors.Add($"{nameof(AdditionalBindAddresses)} must hold unicast addresses only, not '{address?.ToString() ?? "null"}'.");
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid UDP transport options: " + string.Join(" ", errors), nameof(UdpTransportOptions));
        }
    }

    private static bool IsUnicast(IPAddress address) =>
        address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6
        && !address.Equals(IPAddress.Any)
        && !address.Equals(IPAddress.IPv6Any)
        && !address.Equals(IPAddress.Broadcast)
        && !address.IsIPv6Multicast
        && !(address.AddressFamily == AddressFamily.InterNetwork && IsIPv4Multicast(address));

    private static bool IsIPv4Multicast(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        return address.TryWriteBytes(bytes, out _) && bytes[0] is >= 224 and <= 239;
    }
}
