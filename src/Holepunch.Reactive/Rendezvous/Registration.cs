using System.Net;

namespace Holepunch.Reactive.Rendezvous;

/// <summary>One registered room, as the rendezvous server holds it.</summary>
/// <remarks>
/// The end points are stored packed (an IPv4 end point takes no object of its own), so <see cref="GlobalEndPoint"/> and
/// <see cref="LocalEndPoint"/> return a new, equal <see cref="IPEndPoint"/> on each read: read them once where several
/// uses follow. Equality is by value, as for any record.
/// </remarks>
public sealed record Registration
{
    private readonly PackedEndPoint _global;
    private readonly PackedEndPoint _local;

    // The extensions' fields, together: a reference (Godot) host has none, and pays for one null reference instead of three.
    private readonly Extensions? _extensions;

    /// <summary>A registration.</summary>
    /// <param name="Name">The room name, which is also the host's peer name (the registration's <c>sender</c>).</param>
    /// <param name="GlobalEndPoint">Where the registration came from: the host's public (NAT) address, which joiners are sent.</param>
    /// <param name="LocalEndPoint">The host's address on its own network, as it reported it.</param>
    /// <param name="ServerAddress">The server's local address the registration arrived at; <see langword="null"/> for a wildcard.</param>
    /// <param name="Lifetime">How long the registration lives without a refresh.</param>
    /// <param name="RefreshedAt">When the registration was made or last refreshed, on the server's scheduler clock.</param>
    /// <exception cref="ArgumentNullException"><paramref name="Name"/>, <paramref name="GlobalEndPoint"/> or <paramref name="LocalEndPoint"/> is <see langword="null"/>.</exception>
#pragma warning disable CA1707, SA1313 // The parameters keep the names of the properties they set, as a positional record's would.
    public Registration(
        string Name,
        IPEndPoint GlobalEndPoint,
        IPEndPoint LocalEndPoint,
        IPAddress? ServerAddress,
        TimeSpan Lifetime,
        DateTimeOffset RefreshedAt)
#pragma warning restore CA1707, SA1313
    {
        ArgumentNullException.ThrowIfNull(Name);
        this.Name = Name;
        _global = PackedEndPoint.From(GlobalEndPoint);
        _local = PackedEndPoint.From(LocalEndPoint);
        this.ServerAddress = ServerAddress;
        this.Lifetime = Lifetime;
        this.RefreshedAt = RefreshedAt;
    }

    /// <summary>The room name, which is also the host's peer name (the registration's <c>sender</c>).</summary>
    public string Name { get; init; }

    /// <summary>Where the registration came from: the host's public (NAT) address, which joiners are sent (a new object on each read).</summary>
    /// <exception cref="ArgumentNullException">Set to <see langword="null"/>.</exception>
    public IPEndPoint GlobalEndPoint
    {
        get => _global.ToEndPoint();
        init => _global = PackedEndPoint.From(value);
    }

    /// <summary>The host's address on its own network, as it reported it (a new object on each read).</summary>
    /// <exception cref="ArgumentNullException">Set to <see langword="null"/>.</exception>
    public IPEndPoint LocalEndPoint
    {
        get => _local.ToEndPoint();
        init => _local = PackedEndPoint.From(value);
    }

    /// <summary>
    /// The server's local address the registration arrived at, so that messages to the host leave from the address the
    /// host talks to; <see langword="null"/> when the transport could not tell (a wildcard).
    /// </summary>
    public IPAddress? ServerAddress { get; init; }

    /// <summary>How long the registration lives without a refresh (the asked expiry, capped by the server).</summary>
    public TimeSpan Lifetime { get; init; }

    /// <summary>When the registration was made or last refreshed, on the server's scheduler clock.</summary>
    public DateTimeOffset RefreshedAt { get; init; }

    /// <summary>When the registration expires unless it is refreshed before.</summary>
    public DateTimeOffset ExpiresAt => RefreshedAt + Lifetime;

    /// <summary>Whether joiners must prove that they know the room's secret (the <see cref="Protocol.RoomSecret"/> extension).</summary>
    public bool RequiresSecret => RoomKey is not null;

    /// <summary>
    /// The <c>capabilities</c> the host announced in its latest registration (at most 8 entries of at most 32
    /// characters are kept); <see langword="null"/> for a reference (Godot) host. Sent to joiners as <c>peer-capabilities</c>.
    /// </summary>
    public IReadOnlyList<string>? Capabilities
    {
        get => _extensions?.Capabilities;
        init => _extensions = Extensions.Of(value, PeerKey, RoomKey);
    }

    /// <summary>
    /// The <c>peer-key</c> the host announced in its latest registration (kept only when at most 256 characters); <see langword="null"/> for a reference (Godot) host.
    /// Passed to joiners as <c>peer-key</c>, so host and joiner can seal their datagrams.
    /// </summary>
    public string? PeerKey
    {
        get => _extensions?.PeerKey;
        init => _extensions = Extensions.Of(Capabilities, value, RoomKey);
    }

    /// <summary>The room key derived from the secret (never the secret itself), to check joiners' proofs with.</summary>
    internal byte[]? RoomKey
    {
        get => _extensions?.RoomKey;
        init => _extensions = Extensions.Of(Capabilities, PeerKey, value);
    }

    /// <summary>The global end point, packed (compared and unpacked without touching the public property).</summary>
    internal PackedEndPoint Global => _global;

    /// <summary>The local end point, packed.</summary>
    internal PackedEndPoint Local => _local;

    /// <summary>Splits the registration into its constructor's arguments.</summary>
    /// <param name="Name">The room name.</param>
    /// <param name="GlobalEndPoint">The host's public address.</param>
    /// <param name="LocalEndPoint">The host's local address.</param>
    /// <param name="ServerAddress">The server's local address the registration arrived at.</param>
    /// <param name="Lifetime">How long the registration lives without a refresh.</param>
    /// <param name="RefreshedAt">When the registration was made or last refreshed.</param>
#pragma warning disable CA1707, SA1313 // As a positional record's Deconstruct.
    public void Deconstruct(
        out string Name,
        out IPEndPoint GlobalEndPoint,
        out IPEndPoint LocalEndPoint,
        out IPAddress? ServerAddress,
        out TimeSpan Lifetime,
        out DateTimeOffset RefreshedAt)
#pragma warning restore CA1707, SA1313
    {
        Name = this.Name;
        GlobalEndPoint = this.GlobalEndPoint;
        LocalEndPoint = this.LocalEndPoint;
        ServerAddress = this.ServerAddress;
        Lifetime = this.Lifetime;
        RefreshedAt = this.RefreshedAt;
    }

    /// <summary>What a host that uses the protocol's extensions announced (compared by value, as the record's own fields would be).</summary>
    private sealed record Extensions(IReadOnlyList<string>? Capabilities, string? PeerKey, byte[]? RoomKey)
    {
        public static Extensions? Of(IReadOnlyList<string>? capabilities, string? peerKey, byte[]? roomKey) =>
            capabilities is null && peerKey is null && roomKey is null ? null : new(capabilities, peerKey, roomKey);
    }
}
