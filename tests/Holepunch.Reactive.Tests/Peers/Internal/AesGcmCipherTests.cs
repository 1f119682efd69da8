using System.Security.Cryptography;
using CsCheck;
using Holepunch.Reactive.Peers.Internal;
using Holepunch.Reactive.Tests.Protocol;

namespace Holepunch.Reactive.Tests.Peers.Internal;

/// <summary>
/// The direct OpenSSL AES-GCM path against .NET's <see cref="AesGcm"/>: the same bytes out, each opening the other's, and
/// every tampering refused, with the context still good afterwards.
/// </summary>
public sealed class AesGcmCipherTests
{
    private static readonly Gen<(byte[] Key, byte[] Nonce, byte[] Plaintext, byte[] Associated)> Inputs =
        Gen.Select(Gen.Byte.Array[32], Gen.Byte.Array[12], Gen.Byte.Array[0, 1500], Gen.Byte.Array[0, 80]);

    [Fact]
    public void DirectPath_IsUsedWhereDotNetRunsOnOpenSsl3()
    {
        // This project's CI runs on Linux with OpenSSL 3: there the direct path must not silently fall back.
        var expected = (OperatingSystem.IsLinux() || OperatingSystem.IsFreeBSD()) && (SafeEvpPKeyHandle.OpenSslVersion >> 28) == 3;

        Assert.Equal(expected, OpenSslAesGcm.IsAvailable);
        using var cipher = AesGcmCipher.Create(new byte[32]);
        Assert.Equal(expected, cipher is OpenSslAesGcm.Cipher);
    }

    [Fact]
    public void BothPaths_SealTheSameBytes_AndOpenEachOthers()
    {
        FixedSeed.Check(Inputs, input =>
        {
            var (key, nonce, plaintext, associated) = input;
            using var direct = AesGcmCipher.Create(key);
            using var dotNet = AesGcmCipher.Create(key, direct: false);
            var (directSealed, directTag) = Seal(direct, nonce, plaintext, associated);
            var (dotNetSealed, dotNetTag) = Seal(dotNet, nonce, plaintext, associated);

            Assert.Equal(dotNetSealed, directSealed);
            Assert.Equal(dotNetTag, directTag);
            Assert.Equal(plaintext, Open(direct, nonce, dotNetSealed, dotNetTag, associated));
            Assert.Equal(plaintext, Open(dotNet, nonce, directSealed, directTag, associated));
        }, seed: 20_261_124, iterations: 300, input => $"key {Convert.ToHexString(input.Key)} nonce {Convert.ToHexString(input.Nonce)} plaintext {input.Plaintext.Length} B associated {input.Associated.Length} B");
    }

    [Theory]
    [InlineData("ciphertext", true)]
    [InlineData("tag", true)]
    [InlineData("associated", true)]
    [InlineData("nonce", true)]
    [InlineData("ciphertext", false)]
    [InlineData("tag", false)]
    [InlineData("associated", false)]
    [InlineData("nonce", false)]
    public void AnyBitFlipped_IsRefused_AndTheNextGenuineDatagramStillOpens(string part, bool directPath)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var nonce = RandomNumberGenerator.GetBytes(12);
        var plaintext = "a peer datagram"u8.ToArray();
        var associated = "alice|bob|7"u8.ToArray();
        using var cipher = AesGcmCipher.Create(key, directPath);
        var (ciphertext, tag) = Seal(cipher, nonce, plaintext, associated);

        var (badNonce, badCiphertext, badTag, badAssociated) = (nonce.ToArray(), ciphertext.ToArray(), tag.ToArray(), associated.ToArray());
        var flipped = part switch { "ciphertext" => badCiphertext, "tag" => badTag, "associated" => badAssociated, _ => badNonce };
        flipped[^1] ^= 0x01;

        Assert.False(cipher.TryDecrypt(badNonce, badCiphertext, badTag, new byte[plaintext.Length], badAssociated));
        Assert.Equal(plaintext, Open(cipher, nonce, ciphertext, tag, associated));
    }

    [Fact]
    public void OneLongLivedContextPerPath_MatchesDotNetOverAMixOfSealsOpensAndForgeries()
    {
        // The contexts are keyed once and reused for every datagram: nothing of one call (nonce, associated data, length,
        // a refused tag) may leak into the next.
        var key = RandomNumberGenerator.GetBytes(32);
        using var direct = AesGcmCipher.Create(key);
        using var dotNet = AesGcmCipher.Create(key, direct: false);
        var step = Gen.Select(Gen.Int[0, 2], Gen.Byte.Array[12], Gen.Byte.Array[0, 300], Gen.Byte.Array[0, 40]);

        FixedSeed.Check(step.Array[200], steps =>
        {
            foreach (var (kind, nonce, data, associated) in steps)
            {
                var (directSealed, directTag) = Seal(direct, nonce, data, associated);
                var (dotNetSealed, dotNetTag) = Seal(dotNet, nonce, data, associated);
                Assert.Equal(dotNetSealed, directSealed);
                Assert.Equal(dotNetTag, directTag);
                if (kind == 0)
                {
                    Assert.Equal(data, Open(direct, nonce, dotNetSealed, dotNetTag, associated));
                }
                else
                {
                    // A forgery: the tag of other associated data, or of another nonce.
                    var forgedTag = kind == 1 ? Seal(dotNet, nonce, data, [.. associated, 1]).Tag : Seal(dotNet, [.. nonce[..11], (byte)(nonce[11] ^ 1)], data, associated).Tag;
                    Assert.Null(Open(direct, nonce, dotNetSealed, forgedTag, associated));
                }
            }
        }, seed: 20_261_125, iterations: 5, s => $"{s.Length} steps");
    }

    [Theory]
    [InlineData(true, 0, 0)]
    [InlineData(true, 0, 8)]
    [InlineData(true, 5, 0)]
    [InlineData(false, 0, 0)]
    [InlineData(false, 5, 0)]
    public void AForgedTag_IsRefusedWhateverIsEmpty_AndLeavesNoPlaintext(bool directPath, int dataLength, int associatedLength)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var nonce = RandomNumberGenerator.GetBytes(12);
        var data = RandomNumberGenerator.GetBytes(dataLength);
        var associated = RandomNumberGenerator.GetBytes(associatedLength);
        using var cipher = AesGcmCipher.Create(key, directPath);
        var (ciphertext, tag) = Seal(cipher, nonce, data, associated);
        tag[0] ^= 0x80;
        var output = Enumerable.Repeat((byte)0xAA, dataLength).ToArray();

        Assert.False(cipher.TryDecrypt(nonce, ciphertext, tag, output, associated));
        Assert.All(output, b => Assert.Equal(0, b));
    }

    [Fact]
    public void EmptyPlaintextAndAssociatedData_SealAndOpen()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var nonce = RandomNumberGenerator.GetBytes(12);
        using var direct = AesGcmCipher.Create(key);
        using var dotNet = AesGcmCipher.Create(key, direct: false);

        var (ciphertext, tag) = Seal(direct, nonce, [], []);

        Assert.Empty(ciphertext);
        Assert.Equal(Seal(dotNet, nonce, [], []).Tag, tag);
        Assert.True(direct.TryDecrypt(nonce, [], tag, [], []));
    }

    [Fact]
    public void WrongLengths_AreRefusedBeforeOpenSslSeesThem()
    {
        using var cipher = AesGcmCipher.Create(new byte[32]);

        Assert.Throws<ArgumentException>(() => cipher.Encrypt(new byte[8], new byte[4], new byte[4], new byte[16], []));
        Assert.Throws<ArgumentException>(() => cipher.Encrypt(new byte[12], new byte[4], new byte[3], new byte[16], []));
        Assert.Throws<ArgumentException>(() => cipher.TryDecrypt(new byte[12], new byte[4], new byte[12], new byte[4], []));
        Assert.Throws<ArgumentException>(() => AesGcmCipher.Create(new byte[16]));
        Assert.Throws<ArgumentException>(() => AesGcmCipher.Create(new byte[16], direct: false));
    }

    private static (byte[] Ciphertext, byte[] Tag) Seal(AesGcmCipher cipher, byte[] nonce, byte[] plaintext, byte[] associated)
    {
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[AesGcmCipher.TagSize];
        cipher.Encrypt(nonce, plaintext, ciphertext, tag, associated);
        return (ciphertext, tag);
    }

    private static byte[]? Open(AesGcmCipher cipher, byte[] nonce, byte[] ciphertext, byte[] tag, byte[] associated)
    {
        var plaintext = new byte[ciphertext.Length];
        return cipher.TryDecrypt(nonce, ciphertext, tag, plaintext, associated) ? plaintext : null;
    }
}
