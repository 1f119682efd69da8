using System.Net;
using System.Reactive.Concurrency;
using Holepunch.Reactive.Collections;
using Holepunch.Reactive.Protocol;
using Microsoft.Extensions.Logging;

namespace Holepunch.Reactive.Rendezvous;

/// <summary>
/// The registered rooms: a <see cref="SourceCache{TObject, TKey}"/> keyed by room name, each entry removed by
/// <see cref="SourceCacheExpiry.ExpireAfter{TObject, TKey}"/> when its lifetime passes without a refresh. Changed only
/// on the server's scheduler.
/// </summary>
internal sealed class RegistrationRegistry : IDisposable
{
    private readonly SourceCache<Registration, string> _cache = new(static r => r.Name, StringComparer.Ordinal);
    private readonly IScheduler _scheduler;
    private readonly RendezvousMetrics _metrics;
    private readonly ILogger _logger;
    private readonly int _maxRegistrations;
    private readonly TimeSpan _maxLifetime;
    private IDisposable? _expiry;

    public RegistrationRegistry(IScheduler scheduler, RendezvousServerOptions options, RendezvousMetrics metrics, ILogger logger)
    {
        _scheduler = scheduler;
        _metrics = metrics;
        _logger = logger;
        _maxRegistrations = options.MaxRegistrations;
        _maxLifetime = options.MaxRegistrationLifetime;
    }

    /// <summary>The rooms, read-only.</summary>
    public IObservableCache<Registration, string> Cache => _cache;

    /// <summary>How many rooms are registered (read by the metrics gauge from any thread).</summary>
    public int Count => _cache.Count;

    /// <summary>Starts removing registrations whose lifetime has passed.</summary>
    public void Start() =>
        _expiry = _cache.ExpireAfter(static r => r.Lifetime, _scheduler).Subscribe(OnExpired);

    /// <summary>Registers or refreshes a room.</summary>
    /// <param name="request">The registration.</param>
    /// <param name="source">Where it came from: the host's public address, which owns the name.</param>
    /// <param name="serverAddress">The local address it arrived at.</param>
    /// <param name="registration">The stored registration, or the one that holds the name when refused.</param>
    /// <returns>What happened.</returns>
    public RegistrationOutcome Register(RegisteringServer request, IPEndPoint source, IPAddress? serverAddress, out Registration? registration)
    {
        var existing = _cache.Lookup(request.Sender);
        if (existing.HasValue && !existing.Value.GlobalEndPoint.Equals(source))
        {
            registration = existing.Value;
            return RegistrationOutcome.NameTaken;
        }

        if (!existing.HasValue && _cache.Count >= _maxRegistrations)
        {
            registration = null;
            return RegistrationOutcome.Full;
        }

        var asked = TimeSpan.FromSeconds(request.SecondsBeforeExpiry);
        registration = new Registration(
            request.Sender, source, request.LocalEndPoint, serverAddress, asked < _maxLifetime ? asked : _maxLifetime, _scheduler.Now);
        // An update restarts the entry's expiry timer.
        _cache.AddOrUpdate(registration);
        return existing.HasValue ? RegistrationOutcome.Refreshed : RegistrationOutcome.Registered;
    }

    /// <summary>The room called <paramref name="name"/>, if registered.</summary>
    public Optional<Registration> Lookup(string name) => _cache.Lookup(name);

    public void Dispose()
    {
        _expiry?.Dispose();
        _cache.Dispose();
    }

    private void OnExpired(IReadOnlyList<KeyValuePair<string, Registration>> expired)
    {
        foreach (var (_, registration) in expired)
        {
            _metrics.Expired();
            RendezvousLog.Expired(_logger, registration.Name, registration.GlobalEndPoint);
        }
    }
}
