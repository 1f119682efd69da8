using System.Net;
using System.Reactive.Concurrency;
using Holepunch.Reactive.Protocol;
using Holepunch.Reactive.Resilience;
using Holepunch.Reactive.Transport;
using Microsoft.Extensions.Logging;

namespace Holepunch.Reactive.Peers;

/// <summary>
/// Settings of a <see cref="HolepunchClient"/>, validated once when the client starts (every problem in one
/// exception). The defaults are the reference client's.
/// </summary>
public sealed record HolepunchClientOptions
{
    /// <summary>The rendezvous server's address (<c>handshake_ip</c>, <c>handshake_port</c>).</summary>
    /// <value>Required.</value>
    public IPEndPoint? RendezvousEndPoint { get; init; }

    /// <summary>The local address and port to bind (<c>local_ip</c>, <c>local_port</c>); port 0 picks a free port.</summary>
    /// <value>The default value is 0.0.0.0:0.</value>
    public IPEndPoint LocalEndPoint { get; init; } = new(IPAddress.Any, 0);

    /// <summary>
    /// The local address reported to the server for the LAN fallback; <see langword="null"/> to use the bound
    /// address, or the address the operating system would route to the server from when bound to a wildcard.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public IPEndPoint? AdvertisedLocalEndPoint { get; init; }

    /// <summary>
    /// A transport to use instead of binding a UDP socket (a virtual network in tests). The client does not
    /// dispose a transport it was given.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: bind a <see cref="UdpDatagramTransport"/> to <see cref="LocalEndPoint"/>.</value>
    public IDatagramTransport? Transport { get; init; }

    /// <summary>
    /// The one scheduler on which all of the client's state changes and all its timers run. When set, call the
    /// client from that scheduler's thread (a virtual-time test is single-threaded).
    /// </summary>
    /// <value>
    /// The default value is <see langword="null"/>: the client owns a serial event loop without a thread of its own —
    /// a datagram is handled on the thread that received it, a call on the calling thread, one at a time.
    /// </value>
    public IScheduler? Scheduler { get; init; }

    /// <summary>How long the server keeps the host's registration without a refresh (<c>seconds_registration_valid</c>).</summary>
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan RegistrationValidity { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the host refreshes its registration (<c>registration_refresh_rate</c>).</summary>
    /// <value>The default value is 15 seconds.</value>
    public TimeSpan RegistrationRefreshInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often each side checks each confirmed peer.</summary>
    /// <value>The default value is 15 seconds.</value>
    public TimeSpan PeerCheckInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How requests to the server (registration, join) are re-sent.</summary>
    /// <value>The default value is 1 s per attempt, 3 attempts.</value>
    public RequestRetryOptions RendezvousRetry { get; init; } = RequestRetryOptions.Default;

    /// <summary>How rounds of direct punch probes are re-sent before giving up (or turning to the relay).</summary>
    /// <value>The default value is 1 s per round, 3 rounds, as the reference.</value>
    public RequestRetryOptions PunchRetry { get; init; } = RequestRetryOptions.Default;

    /// <summary>
    /// The pause between a round's probe to the peer's local address and the one to its global address (ICE paces
    /// its checks 50 ms apart); the local one goes first so that a LAN path wins a tie.
    /// </summary>
    /// <value>The default value is 50 milliseconds.</value>
    public TimeSpan ProbePacing { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Whether to announce relay support, so that the server may relay between us and a peer that also supports it
    /// when no direct path can be punched. The deployed Godot client ignores the announcement.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool EnableRelay { get; init; } = true;

    /// <summary>
    /// Whether to seal peer datagrams: the client announces an ephemeral public key to the server (extension
    /// <c>peer-key</c>), and with every peer whose introduction carries that peer's key it agrees session keys and
    /// sends and accepts only <c>sealed-peer-datagram</c>s (encrypted, authenticated, replay-protected); see
    /// <see cref="PeerInfo.IsAuthenticated"/>. Peers without a key (the Godot client) stay on the plain protocol.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool SecurePeers { get; init; } = true;

    /// <summary>
    /// Whether to batch peer messages: the client announces the <c>batch</c> capability, and to every peer whose
    /// introduction announced it too, the messages queued for it in one turn of the client's loop (reliable and
    /// unreliable messages, acknowledgements, peer checks) leave together in <c>peer-batch</c> datagrams of at most
    /// <see cref="MaxBatchDatagramSize"/> bytes, sealed once per datagram. Every reliable message is still acknowledged
    /// and de-duplicated by its own id. Peers without the capability (the Godot client) get one message a datagram.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool BatchPeerMessages { get; init; } = true;

    /// <summary>
    /// The largest batch datagram, as it goes on the wire (sealed and relayed included), so that it stays within common
    /// path MTUs; one message larger than that still travels, alone.
    /// </summary>
    /// <value>The default value is 1,200 bytes.</value>
    public int MaxBatchDatagramSize { get; init; } = 1200;

    /// <summary>
    /// On the client's own loop: a send made within this long of the previous batch leaving waits for one hand-off to
    /// the thread pool before its batch leaves, so that a burst of sends from one thread goes in few datagrams. An
    /// isolated send, and whatever answers a datagram just received (acknowledgements, replies from handlers), leaves at
    /// once. <see cref="TimeSpan.Zero"/> sends every turn's batch at once. Ignored with a given
    /// <see cref="Scheduler"/> (a virtual-time test batches per turn only).
    /// </summary>
    /// <value>
    /// The default value is 25 microseconds: shorter than a round trip beyond one machine, so request and reply never
    /// wait; a loopback exchange faster than that pays one hand-off. Allowed: 0 to 1 second.
    /// </value>
    public TimeSpan BatchCoalescingWindow { get; init; } = TimeSpan.FromTicks(250);

    /// <summary>
    /// Runs a peer's key agreement (tests: to hold it back). <see langword="null"/>: inline when it goes through OpenSSL
    /// directly or with a given <see cref="Scheduler"/>, else (.NET's slower path) on the thread pool.
    /// </summary>
    internal Func<Func<Internal.PeerSeal?>, Task<Internal.PeerSeal?>>? KeyAgreementRunner { get; init; }

    /// <summary>While relayed, how often the direct addresses are probed again (an answer upgrades the path).</summary>
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan RelayUpgradeInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How relay probes and peer checks are re-sent (their total is how long a dead path goes unnoticed after a check).</summary>
    /// <value>The default value is 1 s per attempt, 3 attempts.</value>
    public RequestRetryOptions PeerRetry { get; init; } = RequestRetryOptions.Default;

    /// <summary>
    /// How reliable messages are re-sent. To carry messages across a path switch (direct to relay) without a
    /// timeout, make its total longer than <see cref="PeerCheckInterval"/> plus <see cref="PeerRetry"/>'s total.
    /// </summary>
    /// <value>The default value is 1 s per attempt, 3 attempts, as the reference.</value>
    public RequestRetryOptions ReliableRetry { get; init; } = RequestRetryOptions.Default;

    /// <summary>Whether reliable messages from one peer are delivered in the order they were sent.</summary>
    /// <value>The default value is <see langword="false"/>, as the reference.</value>
    public bool OrderedReliableDelivery { get; init; }

    /// <summary>
    /// With ordered delivery: how long a gap (a message that never came) may hold back later ones before they
    /// are delivered anyway.
    /// </summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan OrderedDeliveryGapTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The de-duplication window of reliable message ids per peer, and the most reliable messages that may be
    /// pending to one peer at once (a further send fails at once instead of growing the queue).
    /// </summary>
    /// <value>The default value is 4096.</value>
    public int ReliableWindow { get; init; } = 4096;

    /// <summary>
    /// The room's secret (extension, see <see cref="RoomSecret"/>): a host registers its room so that the server
    /// introduces only joiners that prove they know it; a joiner answers the server's challenge with it. The secret
    /// never leaves the client; only a key derived from it (host) or a proof (joiner) does.
    /// </summary>
    /// <value>
    /// The default value is <see langword="null"/>: an open room, as the Godot protocol (whose clients cannot join a
    /// room with a secret: they see the server's <c>ROOM requires a secret</c> error).
    /// </value>
    public string? RoomSecret { get; init; }

    /// <summary>
    /// The most peers (introduced, punching or confirmed) this client keeps at once; a further introduction is dropped
    /// and counted in <see cref="ClientStatistics"/> as <c>peer-table-full</c>.
    /// </summary>
    /// <value>The default value is 256.</value>
    public int MaxPeers { get; init; } = 256;

    /// <summary>Larger datagrams are dropped unread.</summary>
    /// <value>The default value is 65,507 bytes.</value>
    public int MaxDatagramSize { get; init; } = MessageCodec.MaxUdpPayload;

    /// <summary>Where the client logs; <see langword="null"/> for nowhere.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Checks every setting and reports every problem at once.</summary>
    /// <exception cref="ArgumentException">One or more settings are invalid; the message lists them all.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        if (RendezvousEndPoint is null)
        {
            problems.Add($"{nameof(RendezvousEndPoint)} is required.");
        }
        else if (RendezvousEndPoint.Port == 0)
        {
            problems.Add($"{nameof(RendezvousEndPoint)} needs a port.");
        }

        if (LocalEndPoint is null)
        {
            problems.Add($"{nameof(LocalEndPoint)} is required.");
        }

        Positive(problems, RegistrationValidity, nameof(RegistrationValidity));
        Positive(problems, RegistrationRefreshInterval, nameof(RegistrationRefreshInterval));
        Positive(problems, PeerCheckInterval, nameof(PeerCheckInterval));
        Positive(problems, OrderedDeliveryGapTimeout, nameof(OrderedDeliveryGapTimeout));
        Positive(problems, RelayUpgradeInterval, nameof(RelayUpgradeInterval));
        if (ProbePacing < TimeSpan.Zero || ProbePacing >= (PunchRetry ?? RequestRetryOptions.Default).ReplyTimeout)
        {
            problems.Add($"{nameof(ProbePacing)} must be zero or more and shorter than the punch reply timeout (was {ProbePacing}).");
        }
        if (RegistrationValidity.TotalSeconds > int.MaxValue || RegistrationValidity.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            problems.Add($"{nameof(RegistrationValidity)} must be whole seconds (was {RegistrationValidity}).");
        }

        if (RegistrationRefreshInterval >= RegistrationValidity)
        {
            problems.Add($"{nameof(RegistrationRefreshInterval)} ({RegistrationRefreshInterval}) must be shorter than {nameof(RegistrationValidity)} ({RegistrationValidity}).");
        }

        if (ReliableWindow is < 64 or > 1 << 20)
        {
            problems.Add($"{nameof(ReliableWindow)} must be 64..1048576 (was {ReliableWindow}).");
        }

        if (RoomSecret is { Length: 0 })
        {
            problems.Add($"{nameof(RoomSecret)} must not be empty (use null for an open room).");
        }

        if (MaxPeers is < 1 or > 65_536)
        {
            problems.Add($"{nameof(MaxPeers)} must be 1..65536 (was {MaxPeers}).");
        }

        if (MaxDatagramSize is < 512 or > MessageCodec.MaxUdpPayload)
        {
            problems.Add($"{nameof(MaxDatagramSize)} must be 512..{MessageCodec.MaxUdpPayload} (was {MaxDatagramSize}).");
        }

        if (MaxBatchDatagramSize < 512 || MaxBatchDatagramSize > MaxDatagramSize)
        {
            problems.Add($"{nameof(MaxBatchDatagramSize)} must be 512..{nameof(MaxDatagramSize)} ({MaxDatagramSize}) (was {MaxBatchDatagramSize}).");
        }

        if (BatchCoalescingWindow < TimeSpan.Zero || BatchCoalescingWindow > TimeSpan.FromSeconds(1))
        {
            problems.Add($"{nameof(BatchCoalescingWindow)} must be 0 to 1 second (was {BatchCoalescingWindow}).");
        }

        problems.AddRange((RendezvousRetry ?? RequestRetryOptions.Default).Validate(nameof(RendezvousRetry)));
        problems.AddRange((PeerRetry ?? RequestRetryOptions.Default).Validate(nameof(PeerRetry)));
        problems.AddRange((PunchRetry ?? RequestRetryOptions.Default).Validate(nameof(PunchRetry)));
        problems.AddRange((ReliableRetry ?? RequestRetryOptions.Default).Validate(nameof(ReliableRetry)));
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid holepunch client options: " + string.Join(" ", problems));
        }
    }

    private static void Positive(List<string> problems, TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            problems.Add($"{name} must be positive (was {value}).");
        }
    }
}
