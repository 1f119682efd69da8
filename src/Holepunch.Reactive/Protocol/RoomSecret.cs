using System.Security.Cryptography;
using System.Text;

namespace Holepunch.Reactive.Protocol;

/// <summary>
/// The room-secret extension of the protocol: a room registered with a secret introduces only joiners that prove they
/// know it, without the secret crossing the network and without the server storing it.
/// </summary>
/// <remarks>
/// <para>The exchange (all keys optional; a server or client that does not know them ignores them):</para>
/// <list type="number">
/// <item><description>The host derives the room key <c>K = PBKDF2-HMAC-SHA256(secret, "holepunch-room:" + room, 100,000
/// iterations, 32 bytes)</c> (<see cref="DeriveKey"/>) and adds <c>"room-verifier": base64(K)</c> to every
/// <c>registering-server</c>. The server keeps K, never the secret; refreshes must carry the same K.</description></item>
/// <item><description>A joiner's plain <c>requesting-to-join-server</c> is answered with
/// <c>server-error</c> <c>"ROOM requires a secret"</c> plus <c>"challenge"</c>: a stateless nonce that the server can
/// check later (a MAC of the joiner's address, names and a time step, under a key of the server's own). The Godot
/// client sees a plain error.</description></item>
/// <item><description>The joiner sends the join again with <c>"challenge"</c> (the nonce) and
/// <c>"challenge-response": base64(HMAC-SHA256(K, "holepunch-join" ‖ challenge ‖ joiner ‖ room))</c>, each of the
/// three fields as its UTF-8 length (4 bytes, big-endian) then its UTF-8 bytes
/// (<see cref="ComputeResponse"/>). A fresh nonce with the right response is introduced as usual; a fresh nonce with a
/// wrong response gets <c>"wrong secret for ROOM"</c> (no new challenge); an expired or foreign nonce gets a new
/// challenge.</description></item>
/// </list>
/// <para>
/// What it protects: a joiner that does not know the secret is never introduced, and cannot learn the secret or K
/// from the exchange (a captured response is bound to one nonce, joiner address and names, and the nonce expires
/// within a minute). The nonce also proves the joiner receives at its address. What it does not: K is sent in the
/// clear when the host registers, so an eavesdropper on the host's path to the server can join (and could attack a
/// weak secret offline, at PBKDF2's cost); peers are still not authenticated to each other once introduced.
/// </para>
/// </remarks>
public static class RoomSecret
{
    /// <summary>The PBKDF2 iteration count of <see cref="DeriveKey"/>.</summary>
    public const int Iterations = 100_000;

    /// <summary>The length of the room key in bytes.</summary>
    public const int KeySize = 32;

    private const string SaltPrefix = "holepunch-room:";
    private const string ResponseLabel = "holepunch-join";

    /// <summary>Derives a room's key from its secret; the host sends it base64-encoded as <c>room-verifier</c>.</summary>
    /// <param name="secret">The secret shared by the host and its joiners.</param>
    /// <param name="room">The room name (the salt: the same secret gives every room another key).</param>
    /// <returns>The 32-byte room key.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="secret"/> is empty.</exception>
    public static byte[] DeriveKey(string secret, string room)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentNullException.ThrowIfNull(room);
        return Rfc2898DeriveBytes.Pbkdf2(
            Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(SaltPrefix + room), Iterations, HashAlgorithmName.SHA256, KeySize);
    }

    /// <summary>The <c>room-verifier</c> value for a room key.</summary>
    /// <param name="key">The room key from <see cref="DeriveKey"/>.</param>
    /// <returns>The key, base64-encoded.</returns>
    public static string ToVerifier(ReadOnlySpan<byte> key) => Convert.ToBase64String(key);

    /// <summary>The <c>challenge-response</c> of a join: proof of the room key, bound to the challenge and the names.</summary>
    /// <param name="key">The room key from <see cref="DeriveKey"/>.</param>
    /// <param name="challenge">The server's <c>challenge</c>, as received.</param>
    /// <param name="joiner">The joiner's name (the join's <c>sender</c>).</param>
    /// <param name="room">The room name (the join's <c>server-name</c>).</param>
    /// <returns>The response, base64-encoded.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static string ComputeResponse(ReadOnlySpan<byte> key, string challenge, string joiner, string room)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        ComputeMac(key, challenge, joiner, room, mac);
        return Convert.ToBase64String(mac);
    }

    /// <summary>Checks a <c>challenge-response</c> in constant time.</summary>
    internal static bool IsValidResponse(ReadOnlySpan<byte> key, string challenge, string joiner, string room, string response)
    {
        Span<byte> received = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (!Convert.TryFromBase64String(response, received, out var length) || length != received.Length)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        ComputeMac(key, challenge, joiner, room, expected);
        return CryptographicOperations.FixedTimeEquals(expected, received);
    }

    /// <summary>Reads a <c>room-verifier</c>: base64 of exactly <see cref="KeySize"/> bytes.</summary>
    internal static byte[]? ParseVerifier(string verifier)
    {
        var key = new byte[KeySize];
        return verifier.Length <= 64 && Convert.TryFromBase64String(verifier, key, out var length) && length == KeySize ? key : null;
    }

    private static void ComputeMac(ReadOnlySpan<byte> key, string challenge, string joiner, string room, Span<byte> mac)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        ArgumentNullException.ThrowIfNull(joiner);
        ArgumentNullException.ThrowIfNull(room);
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Encoding.UTF8.GetBytes(ResponseLabel));
        AppendField(hmac, challenge);
        AppendField(hmac, joiner);
        AppendField(hmac, room);
        hmac.GetHashAndReset(mac);
    }

    /// <summary>Appends a length-prefixed UTF-8 field, so that no two different triples of names give the same input.</summary>
    internal static void AppendField(IncrementalHash hash, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }
}
