using System.Net;
using System.Reactive.Concurrency;
using System.Security.Cryptography;
using Holepunch.Reactive.Collections;
using Holepunch.Reactive.Protocol;
using Microsoft.Extensions.Logging;

namespace Holepunch.Reactive.Rendezvous;

/// <summary>
/// The registered rooms: a <see cref="SourceCache{TObject, TKey}"/> keyed by room name, each entry removed (in its own
/// change set) exactly at its <see cref="Registration.ExpiresAt"/> unless refreshed before. Changed only on the server's
/// scheduler.
/// </summary>
/// <remarks>
/// Expiry is one <see cref="ExpiryQueue{TKey}"/> (one timer for the earliest deadline) rather than
/// <see cref="SourceCacheExpiry.ExpireAfter{TObject, TKey}"/>'s timer per item: the registration itself holds its
/// deadline, so a queued deadline is current exactly when it is the room's <see cref="Registration.ExpiresAt"/>.
/// </remarks>
internal sealed class RegistrationRegistry : IDisposable
{
    private readonly SourceCache<Registration, string> _cache = new(static r => r.Name, StringComparer.Ordinal);
    private readonly IScheduler _scheduler;
    private readonly RendezvousMetrics _metrics;
    private readonly ILogger _logger;
    private readonly int _maxRegistrations;
    private readonly TimeSpan _maxLifetime;
    private readonly int _maxPerAddress;
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    private readonly ExpiryQueue<string> _expiry;

    public RegistrationRegistry(IScheduler scheduler, RendezvousServerOptions options, RendezvousMetrics metrics, ILogger logger)
    {
        _scheduler = scheduler;
        _metrics = metrics;
        _logger = logger;
        _maxRegistrations = options.MaxRegistrations;
        _maxLifetime = options.MaxRegistrationLifetime;
        _maxPerAddress = options.MaxRegistrationsPerAddress;
        _expiry = new ExpiryQueue<string>(scheduler, IsCurrentDeadline, Expire);
    }

    /// <summary>The rooms, read-only.</summary>
    public IObservableCache<Registration, string> Cache => _cache;

    /// <summary>How many rooms are registered (read by the metrics gauge from any thread).</summary>
    public int Count => _cache.Count;

    /// <summary>Queued expiry deadlines, stale ones included (for tests).</summary>
    internal int QueuedDeadlines => _expiry.Count;

    /// <summary>Registers or refreshes a room.</summary>
    /// <param name="request">The registration.</param>
    /// <param name="source">Where it came from: the host's public address, which owns the name.</param>
    /// <param name="serverAddress">The local address it arrived at.</param>
    /// <param name="registration">The stored registration, or the one that holds the name when refused.</param>
    /// <returns>What happened.</returns>
    /// <remarks>
    /// Only the owning address may refresh a name, and even a datagram that claims to come from it (a spoofed source)
    /// cannot shorten the registration's life, nor add, drop or change its room key: a refresh with another key is
    /// refused as <see cref="RegistrationOutcome.NameTaken"/>.
    /// </remarks>
    public RegistrationOutcome Register(RegisteringServer request, IPEndPoint source, IPAddress? serverAddress, out Registration? registration)
    {
        byte[]? key = null;
        if (request.RoomVerifier is { } verifier && (key = RoomSecret.ParseVerifier(verifier)) is null)
        {
            registration = null;
            return RegistrationOutcome.InvalidVerifier;
        }

        var existing = _cache.Lookup(request.Sender);
        if (existing.HasValue && (!existing.Value.Global.Matches(source) || !SameKey(existing.Value.RoomKey, key)))
        {
            registration = existing.Value;
            return RegistrationOutcome.NameTaken;
        }

        if (!existing.HasValue)
        {
            if (_cache.Count >= _maxRegistrations)
            {
                registration = null;
                return RegistrationOutcome.Full;
            }

            if (_perAddress.GetValueOrDefault(source.Address) >= _maxPerAddress)
            {
                registration = null;
                return RegistrationOutcome.TooManyFromAddress;
            }
        }

        var now = _scheduler.Now;
        var asked = TimeSpan.FromSeconds(request.SecondsBeforeExpiry);
        var lifetime = asked < _maxLifetime ? asked : _maxLifetime;
        if (existing.HasValue && existing.Value.ExpiresAt - now > lifetime)
        {
            // A refresh never brings the expiry closer: a spoofed "refresh" with a short expiry must not end the room.
            lifetime = existing.Value.ExpiresAt - now;
        }

        registration = new Registration(request.Sender, source, request.LocalEndPoint, serverAddress, lifetime, now)
        {
            RoomKey = key,
            Capabilities = CapabilityList.Normalize(request.Capabilities),
            PeerKey = HandshakeLinker.BoundedPeerKey(request.PeerKey),
        };
        _cache.AddOrUpdate(registration);
        // A refresh that keeps the deadline (a shorter asked expiry) has its entry queued already.
        if (!existing.HasValue || existing.Value.ExpiresAt != registration.ExpiresAt)
        {
            _expiry.Add(registration.Name, registration.ExpiresAt);
        }

        if (existing.HasValue)
        {
            return RegistrationOutcome.Refreshed;
        }

        _perAddress[source.Address] = _perAddress.GetValueOrDefault(source.Address) + 1;
        return RegistrationOutcome.Registered;
    }

    private static bool SameKey(byte[]? stored, byte[]? given) =>
        stored is null ? given is null : given is not null && CryptographicOperations.FixedTimeEquals(stored, given);

    /// <summary>The room called <paramref name="name"/>, if registered.</summary>
    public Optional<Registration> Lookup(string name) => _cache.Lookup(name);

    public void Dispose()
    {
        _expiry.Dispose();
        _cache.Dispose();
    }

    private bool IsCurrentDeadline(string name, long deadlineTicks) =>
        _cache.Lookup(name) is { HasValue: true } found && found.Value.ExpiresAt.UtcTicks == deadlineTicks;

    private void Expire(string name)
    {
        var found = _cache.Lookup(name);
        if (!found.HasValue)
        {
            return;
        }

        var registration = found.Value;
        _cache.Remove(name);
        var global = registration.GlobalEndPoint;
        var address = global.Address;
        if (_perAddress.TryGetValue(address, out var count))
        {
            if (count <= 1)
            {
                _perAddress.Remove(address);
            }
            else
            {
                _perAddress[address] = count - 1;
            }
        }

        _metrics.Expired();
        RendezvousLog.Expired(_logger, registration.Name, global);
    }
}
