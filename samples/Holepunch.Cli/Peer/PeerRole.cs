namespace Holepunch.Cli.Peer;

/// <summary>Whether the peer hosts <paramref name="Room"/> (<paramref name="User"/> is <see langword="null"/>) or joins it as <paramref name="User"/>.</summary>
internal readonly record struct PeerRole(string? User, string Room)
{
    public bool IsHost => User is null;

    public static PeerRole Host(string room) => new(null, room);

    public static PeerRole Join(string user, string room) => new(user, room);
}
