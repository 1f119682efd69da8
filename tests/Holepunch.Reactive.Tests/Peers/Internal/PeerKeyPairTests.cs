using System.Security.Cryptography;
using System.Text;
using Holepunch.Reactive.Peers.Internal;
using Holepunch.Reactive.Protocol;

namespace Holepunch.Reactive.Tests.Peers.Internal;

/// <summary>The two agreement paths (OpenSSL directly, .NET's ECDiffieHellman) accept the same keys and agree the same secrets.</summary>
public sealed class PeerKeyPairTests
{
    [Fact]
    public void DirectPath_IsUsedWhereOpenSsl3Is()
    {
        var expected = (OperatingSystem.IsLinux() || OperatingSystem.IsFreeBSD()) && (SafeEvpPKeyHandle.OpenSslVersion >> 28) == 3;
        using var keys = new PeerKeyPair();

        Assert.Equal(expected, OpenSslEcdh.IsAvailable);
        Assert.Equal(expected, keys.IsDirect);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void EitherPath_AgreesTheSameKeysAsTheOther(bool aliceDirect, bool bobDirect)
    {
        using var aliceKeys = new PeerKeyPair(aliceDirect);
        using var bobKeys = new PeerKeyPair(bobDirect);
        using var alice = aliceKeys.TryAgree("alice", "bob", bobKeys.PublicKey)!;
        using var bob = bobKeys.TryAgree("bob", "alice", aliceKeys.PublicKey)!;

        Assert.Null(bob.TryOpen(alice.Seal("to bob"u8), out var atBob));
        Assert.Null(alice.TryOpen(bob.Seal("to alice"u8), out var atAlice));
        Assert.Equal("to bob", Encoding.UTF8.GetString(atBob));
        Assert.Equal("to alice", Encoding.UTF8.GetString(atAlice));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void PointOffTheCurve_GivesNoSeal(bool direct)
    {
        using var alice = new PeerKeyPair(direct);
        using var bob = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var spki = bob.ExportSubjectPublicKeyInfo();
        spki[^1] ^= 1;

        Assert.Null(alice.TryAgree("alice", "bob", Base64UrlText.Encode(spki)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void CoordinatesOutsideTheField_GiveNoSeal(bool direct)
    {
        // X and Y of all ones are past the field's prime: no point, however the curve equation would come out.
        using var alice = new PeerKeyPair(direct);
        using var bob = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var spki = bob.ExportSubjectPublicKeyInfo();
        spki.AsSpan(27).Fill(0xFF);

        Assert.Null(alice.TryAgree("alice", "bob", Base64UrlText.Encode(spki)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void CompressedPoint_GivesNoSeal(bool direct)
    {
        // A valid key, but not in the one form our peers send: both paths refuse it alike.
        using var alice = new PeerKeyPair(direct);
        using var bob = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var uncompressed = bob.ExportSubjectPublicKeyInfo();
        var y = uncompressed[^1];
        byte[] compressed = [.. Convert.FromHexString("3039301306072A8648CE3D020106082A8648CE3D030107032200"), (byte)(2 + (y & 1)), .. uncompressed.AsSpan(27, 32)];

        Assert.Null(alice.TryAgree("alice", "bob", Base64UrlText.Encode(compressed)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void KeyOnAnotherCurve_GivesNoSeal(bool direct)
    {
        using var alice = new PeerKeyPair(direct);
        using var p384 = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP384);

        Assert.Null(alice.TryAgree("alice", "bob", Base64UrlText.Encode(p384.ExportSubjectPublicKeyInfo())));
    }
}
