using System.Globalization;
using System.Text;

namespace Holepunch.Reactive.Rendezvous;

/// <summary>
/// The limits of the rendezvous server's relay (the <c>relay-datagram</c> extension): the fallback path for two peers
/// that cannot punch through to each other. Part of <see cref="RendezvousServerOptions"/>, validated and copied with it.
/// </summary>
/// <remarks>
/// <para>
/// A relay is opened when the server introduces a joiner to a host and both announced the <c>relay</c> capability: both
/// handshake infos then carry the same <c>relay-token</c>. The relay counts against <see cref="MaxRelays"/> and
/// <see cref="MaxRelaysPerAddress"/> from that moment, whether or not it is ever used, and closes after
/// <see cref="IdleTimeout"/> without a relay datagram from either side, or after <see cref="MaxDuration"/> in any case.
/// When a cap is reached, the introductions carry no token (and the refusal is counted as
/// <see cref="RelayRefusalReason.RelayFull"/>).
/// </para>
/// <para>
/// Relay datagrams from a relay's recorded endpoints are exempt from the per-source request rate limit
/// (<see cref="RendezvousServerOptions.SourceTokenLimit"/>) and from the global one (<see cref="RendezvousServerOptions.GlobalTokenLimit"/>),
/// which are sized for requests; <see cref="BytesPerSecond"/> and <see cref="BurstBytes"/>
/// bound them instead, per relay and direction.
/// </para>
/// </remarks>
public sealed class RelayOptions
{
    /// <summary>Whether the server opens relays at all; when off, introductions never carry a <c>relay-token</c>.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>How many relays may be open at once, server-wide.</summary>
    /// <value>The default value is 1,000. Must be at least 1.</value>
    public int MaxRelays { get; set; } = 1000;

    /// <summary>How many open relays may involve one IP address (either side); a pair on one address counts twice.</summary>
    /// <value>The default value is 8. Must be at least 1.</value>
    public int MaxRelaysPerAddress { get; set; } = 8;

    /// <summary>The sustained rate of each relay, in each direction, in bytes of forwarded datagrams per second.</summary>
    /// <value>The default value is 65,536 (64 KiB/s). Must be at least 1.</value>
    public int BytesPerSecond { get; set; } = 64 * 1024;

    /// <summary>The burst each relay may send in each direction at once: the size of its token bucket, in bytes.</summary>
    /// <value>
    /// The default value is 131,072 (128 KiB). Must be at least <see cref="RendezvousServerOptions.MaxDatagramSize"/>
    /// plus 256 bytes, so that every datagram the server reads can be forwarded.
    /// </value>
    public int BurstBytes { get; set; } = 128 * 1024;

    /// <summary>The longest a relay stays open, however busy.</summary>
    /// <value>The default value is 30 minutes. Must be positive.</value>
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a relay stays open without a relay datagram from either side (counted from its introduction).</summary>
    /// <value>The default value is 60 seconds. Must be positive.</value>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The least time between two <c>relay-refused</c> replies to one source endpoint (no amplification).</summary>
    /// <value>The default value is 1 second. Must be positive.</value>
    public TimeSpan RefusalInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Appends a line to <paramref name="problems"/> for every invalid value.</summary>
    internal void Validate(StringBuilder problems, int maxDatagramSize)
    {
        void Problem(string name, object value, string rule) =>
            problems.AppendLine(CultureInfo.InvariantCulture, $"- Relay.{name} is {value}: {rule}.");

        if (MaxRelays < 1)
        {
            Problem(nameof(MaxRelays), MaxRelays, "must be at least 1");
        }

        if (MaxRelaysPerAddress < 1)
        {
            Problem(nameof(MaxRelaysPerAddress), MaxRelaysPerAddress, "must be at least 1");
        }

        if (BytesPerSecond < 1)
        {
            Problem(nameof(BytesPerSecond), BytesPerSecond, "must be at least 1");
        }

        if ((long)BurstBytes < (long)maxDatagramSize + RelayForwarder.EnvelopeAllowance)
        {
            Problem(nameof(BurstBytes), BurstBytes, $"must be at least MaxDatagramSize + {RelayForwarder.EnvelopeAllowance} ({maxDatagramSize + RelayForwarder.EnvelopeAllowance})");
        }

        if (MaxDuration <= TimeSpan.Zero)
        {
            Problem(nameof(MaxDuration), MaxDuration, "must be positive");
        }

        if (IdleTimeout <= TimeSpan.Zero)
        {
            Problem(nameof(IdleTimeout), IdleTimeout, "must be positive");
        }

        if (RefusalInterval <= TimeSpan.Zero)
        {
            Problem(nameof(RefusalInterval), RefusalInterval, "must be positive");
        }
    }

    /// <summary>A copy, so that the server never sees a later change.</summary>
    internal RelayOptions Clone() => (RelayOptions)MemberwiseClone();
}
