using System.Buffers.Binary;
using System.Net;
using System.Reactive.Concurrency;
using System.Security.Cryptography;
using Holepunch.Reactive.Protocol;

namespace Holepunch.Reactive.Rendezvous;

/// <summary>
/// Stateless challenges for joins of rooms with a secret (see <see cref="RoomSecret"/>): a challenge is a time step and
/// a MAC of that step, the joiner's address and the names, under a random key of this server, so the server stores
/// nothing per challenge and a flood of joins cannot fill a table. A challenge is fresh during its time step and the
/// next (30 to 60 seconds), and only for the address and names it was issued to.
/// </summary>
internal sealed class JoinChallenges(IScheduler scheduler)
{
    /// <summary>How long one time step lasts; a challenge lives for one or two.</summary>
    internal static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    private const int StepSize = 8;
    private const int MacSize = 16;
    private const int ChallengeSize = StepSize + MacSize;
    private const string Label = "holepunch-challenge";

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    /// <summary>A challenge for <paramref name="joinerName"/> at <paramref name="joiner"/> to join <paramref name="room"/>.</summary>
    public string Issue(IPEndPoint joiner, string joinerName, string room)
    {
        Span<byte> challenge = stackalloc byte[ChallengeSize];
        var step = CurrentStep();
        BinaryPrimitives.WriteInt64BigEndian(challenge, step);
        ComputeMac(step, joiner, joinerName, room, challenge[StepSize..]);
        return Convert.ToBase64String(challenge);
    }

    /// <summary>Whether <paramref name="challenge"/> was issued by this server, recently, to this joiner for this room.</summary>
    public bool IsFresh(string challenge, IPEndPoint joiner, string joinerName, string room)
    {
        Span<byte> received = stackalloc byte[ChallengeSize];
        if (challenge.Length > 64 || !Convert.TryFromBase64String(challenge, received, out var length) || length != ChallengeSize)
        {
            return false;
        }

        var step = BinaryPrimitives.ReadInt64BigEndian(received);
        var now = CurrentStep();
        if (step != now && step != now - 1)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[MacSize];
        ComputeMac(step, joiner, joinerName, room, expected);
        return CryptographicOperations.FixedTimeEquals(expected, received[StepSize..]);
    }

    private long CurrentStep() => scheduler.Now.UtcTicks / Step.Ticks;

    private void ComputeMac(long step, IPEndPoint joiner, string joinerName, string room, Span<byte> mac)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        Span<byte> stepBytes = stackalloc byte[StepSize];
        BinaryPrimitives.WriteInt64BigEndian(stepBytes, step);
        hmac.AppendData(System.Text.Encoding.UTF8.GetBytes(Label));
        hmac.AppendData(stepBytes);
        RoomSecret.AppendField(hmac, joiner.ToString());
        RoomSecret.AppendField(hmac, joinerName);
        RoomSecret.AppendField(hmac, room);
        Span<byte> full = stackalloc byte[HMACSHA256.HashSizeInBytes];
        hmac.GetHashAndReset(full);
        full[..MacSize].CopyTo(mac);
    }
}
