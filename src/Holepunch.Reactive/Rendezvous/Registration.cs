using System.Net;

namespace Holepunch.Reactive.Rendezvous;

/// <summary>One registered room, as the rendezvous server holds it.</summary>
/// <param name="Name">The room name, which is also the host's peer name (the registration's <c>sender</c>).</param>
/// <param name="GlobalEndPoint">Where the registration came from: the host's public (NAT) address, which joiners are sent.</param>
/// <param name="LocalEndPoint">The host's address on its own network, as it reported it.</param>
/// <param name="ServerAddress">
/// The server's local address the registration arrived at, so that messages to the host leave from the address the
/// host talks to; <see langword="null"/> when the transport could not tell (a wildcard).
/// </param>
/// <param name="Lifetime">How long the registration lives without a refresh (the asked expiry, capped by the server).</param>
/// <param name="RefreshedAt">When the registration was made or last refreshed, on the server's scheduler clock.</param>
public sealed record Registration(
    string Name,
    IPEndPoint GlobalEndPoint,
    IPEndPoint LocalEndPoint,
    IPAddress? ServerAddress,
    TimeSpan Lifetime,
    DateTimeOffset RefreshedAt)
{
    /// <summary>When the registration expires unless it is refreshed before.</summary>
    public DateTimeOffset ExpiresAt => RefreshedAt + Lifetime;

    /// <summary>Whether joiners must prove that they know the room's secret (the <see cref="Protocol.RoomSecret"/> extension).</summary>
    public bool RequiresSecret => RoomKey is not null;

    /// <summary>
    /// The <c>capabilities</c> the host announced in its latest registration (at most 8 entries of at most 32
    /// characters are kept); <see langword="null"/> for a reference (Godot) host. Sent to joiners as <c>peer-capabilities</c>.
    /// </summary>
    public IReadOnlyList<string>? Capabilities { get; init; }

    /// <summary>
    /// The <c>peer-key</c> the host announced in its latest registration (kept only when at most 256 characters); <see langword="null"/> for a reference (Godot) host.
    /// Passed to joiners as <c>peer-key</c>, so host and joiner can seal their datagrams.
    /// </summary>
    public string? PeerKey { get; init; }

    /// <summary>The room key derived from the secret (never the secret itself), to check joiners' proofs with.</summary>
    internal byte[]? RoomKey { get; init; }
}
