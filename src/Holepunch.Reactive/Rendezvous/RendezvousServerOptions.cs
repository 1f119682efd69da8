using System.Net;
using System.Globalization;
using System.Reactive.Concurrency;
using System.Text;
using Holepunch.Reactive.Protocol;

namespace Holepunch.Reactive.Rendezvous;

/// <summary>
/// The limits and clock of a <see cref="RendezvousServer"/>. A plain object: the server validates it once, when it is
/// constructed, and copies it, so later changes to the object have no effect on a running server.
/// </summary>
/// <remarks>
/// Every datagram costs a bounded amount of work: the source's rate limit and then the global one are checked first
/// (one dictionary lookup), then at most <see cref="MaxDatagramSize"/> bytes are decoded, then the request is queued to
/// the server's scheduler (at most <see cref="MaxPendingDatagrams"/> waiting) and answered with at most two datagrams,
/// within <see cref="AmplificationFactor"/> times the bytes received. See SECURITY.md for the threat model.
/// </remarks>
public sealed class RendezvousServerOptions
{
    /// <summary>The largest datagram the server reads; larger ones are dropped unread.</summary>
    /// <value>
    /// The default value is 8,192 bytes (a Godot registration is about 150; the rest is room for relayed messages, see
    /// <see cref="Relay"/>). Allowed: 1 to 65,507.
    /// </value>
    public int MaxDatagramSize { get; set; } = 8192;

    /// <summary>How many rooms may be registered at once; a new room beyond it gets <c>server full</c>.</summary>
    /// <value>The default value is 10,000. Refreshes of registered rooms are always accepted.</value>
    public int MaxRegistrations { get; set; } = 10_000;

    /// <summary>
    /// How many rooms one IP address may have registered at once; a new room beyond it gets
    /// <c>too many servers from this address</c>, so that one machine cannot squat every name.
    /// </summary>
    /// <value>The default value is 64 (many hosts can share one address behind a carrier-grade NAT). Must be at least 1.</value>
    public int MaxRegistrationsPerAddress { get; set; } = 64;

    /// <summary>The longest time a registration is kept without a refresh, whatever <c>seconds-before-expiry</c> asks.</summary>
    /// <value>The default value is 300 seconds. Must be positive.</value>
    public TimeSpan MaxRegistrationLifetime { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>The size of each source's token bucket: how many datagrams one source IP address may send in a burst.</summary>
    /// <value>The default value is 20 datagrams.</value>
    public int SourceTokenLimit { get; set; } = 20;

    /// <summary>How many tokens each source's bucket gets back every <see cref="SourceReplenishmentPeriod"/>.</summary>
    /// <value>The default value is 10 datagrams (a Godot client sends one every few seconds, so many fit behind one NAT).</value>
    public int SourceTokensPerPeriod { get; set; } = 10;

    /// <summary>How often the buckets are refilled, by a timer on the server's scheduler.</summary>
    /// <value>The default value is 1 second. Must be positive.</value>
    public TimeSpan SourceReplenishmentPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a source's bucket is kept after its last datagram (once it is full again, so forgetting it costs nothing).</summary>
    /// <value>The default value is 60 seconds. Must be positive.</value>
    public TimeSpan SourceIdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The size of the global token bucket that every datagram passing its source's bucket draws from: how many
    /// datagrams all sources together may send in a burst.
    /// </summary>
    /// <value>The default value is 10,000 datagrams.</value>
    public int GlobalTokenLimit { get; set; } = 10_000;

    /// <summary>How many tokens the global bucket gets back every <see cref="SourceReplenishmentPeriod"/>.</summary>
    /// <value>The default value is 5,000 datagrams (10,000 Godot hosts refreshing every 15 seconds send about 700 a second).</value>
    public int GlobalTokensPerPeriod { get; set; } = 5_000;

    /// <summary>
    /// How many sources are tracked at once (rate-limit buckets and amplification credit); beyond it, a new source
    /// replaces one whose bucket is full, or is dropped as <see cref="RendezvousDropReason.TooManySources"/>.
    /// </summary>
    /// <value>The default value is 10,000.</value>
    public int MaxSources { get; set; } = 10_000;

    /// <summary>How many admitted datagrams may wait for the server's scheduler; beyond it they are dropped as overload.</summary>
    /// <value>The default value is 4,096.</value>
    public int MaxPendingDatagrams { get; set; } = 4096;

    /// <summary>
    /// How many bytes the server may send an address for each byte received from it (the anti-amplification limit of
    /// QUIC, RFC 9000 §8). A reply beyond it is not sent and is counted as <see cref="RendezvousDropReason.AmplificationLimit"/>.
    /// </summary>
    /// <value>
    /// The default value is 3. Allowed: 1 to 10. Every reply of the protocol is smaller than the request it answers
    /// plus about 100 bytes, so an honest peer never meets the limit.
    /// </value>
    public int AmplificationFactor { get; set; } = 3;

    /// <summary>
    /// The one scheduler on which every state change happens (registrations, expiry, rate-limit refills, replies).
    /// </summary>
    /// <value>
    /// The default value is <see langword="null"/>: the server creates its own serial event loop (no thread of its own:
    /// a request is handled and answered on the thread that received it, one at a time) and disposes it with itself.
    /// Tests pass a virtual-time scheduler.
    /// </value>
    public IScheduler? Scheduler { get; set; }

    /// <summary>
    /// Networks whose addresses are passed on as a peer's reported LAN address, besides the private, shared,
    /// loopback and link-local ranges that always are (a lab or an intranet that numbers its LANs otherwise). Any
    /// other reported address that is not the sender's own is replaced by its public one, so a forged request
    /// cannot aim peers' probes at a third party.
    /// </summary>
    /// <value>The default value is empty.</value>
    public IList<IPNetwork> LanNetworks { get; set; } = [];

    /// <summary>The relay's limits (the <c>relay-datagram</c> extension); see <see cref="RelayOptions"/>.</summary>
    /// <value>The default value is a <see cref="RelayOptions"/> with its documented defaults: relay on.</value>
    public RelayOptions Relay { get; set; } = new();

    /// <summary>Checks every value and copies the options, so the server never sees a later change.</summary>
    /// <exception cref="ArgumentException">One or more values are invalid; the message lists them all.</exception>
    internal RendezvousServerOptions Validated()
    {
        var problems = new StringBuilder();
        void Problem(string name, object value, string rule) =>
            problems.AppendLine(CultureInfo.InvariantCulture, $"- {name} is {value}: {rule}.");

        if (MaxDatagramSize is < 1 or > MessageCodec.MaxUdpPayload)
        {
            Problem(nameof(MaxDatagramSize), MaxDatagramSize, $"must be between 1 and {MessageCodec.MaxUdpPayload}");
        }

        if (MaxRegistrations < 1)
        {
            Problem(nameof(MaxRegistrations), MaxRegistrations, "must be at least 1");
        }

        if (MaxRegistrationsPerAddress < 1)
        {
            Problem(nameof(MaxRegistrationsPerAddress), MaxRegistrationsPerAddress, "must be at least 1");
        }

        if (MaxRegistrationLifetime <= TimeSpan.Zero)
        {
            Problem(nameof(MaxRegistrationLifetime), MaxRegistrationLifetime, "must be positive");
        }

        if (SourceTokenLimit < 1)
        {
            Problem(nameof(SourceTokenLimit), SourceTokenLimit, "must be at least 1");
        }

        if (SourceTokensPerPeriod < 1)
        {
            Problem(nameof(SourceTokensPerPeriod), SourceTokensPerPeriod, "must be at least 1");
        }

        if (SourceReplenishmentPeriod <= TimeSpan.Zero)
        {
            Problem(nameof(SourceReplenishmentPeriod), SourceReplenishmentPeriod, "must be positive");
        }

        if (SourceIdleTimeout <= TimeSpan.Zero)
        {
            Problem(nameof(SourceIdleTimeout), SourceIdleTimeout, "must be positive");
        }

        if (GlobalTokenLimit < 1)
        {
            Problem(nameof(GlobalTokenLimit), GlobalTokenLimit, "must be at least 1");
        }

        if (GlobalTokensPerPeriod < 1)
        {
            Problem(nameof(GlobalTokensPerPeriod), GlobalTokensPerPeriod, "must be at least 1");
        }

        if (MaxSources < 1)
        {
            Problem(nameof(MaxSources), MaxSources, "must be at least 1");
        }

        if (MaxPendingDatagrams < 1)
        {
            Problem(nameof(MaxPendingDatagrams), MaxPendingDatagrams, "must be at least 1");
        }

        if (AmplificationFactor is < 1 or > 10)
        {
            Problem(nameof(AmplificationFactor), AmplificationFactor, "must be between 1 and 10");
        }

        if (Relay is null)
        {
            Problem(nameof(Relay), "null", "must be set");
        }
        else
        {
            Relay.Validate(problems, MaxDatagramSize);
        }

        if (problems.Length > 0)
        {
            throw new ArgumentException($"Invalid {nameof(RendezvousServerOptions)}:{Environment.NewLine}{problems}", "options");
        }

        var copy = (RendezvousServerOptions)MemberwiseClone();
        copy.Relay = Relay!.Clone();
        copy.LanNetworks = [.. LanNetworks ?? []];
        return copy;
    }
}
