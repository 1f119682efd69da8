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

    /// <summary>The point (5, y) of P-256, and the same point with X written as 5 + p: on the curve, but not canonical.</summary>
    private const string PointWithXFive = "0000000000000000000000000000000000000000000000000000000000000005";
    private const string XFivePlusPrime = "FFFFFFFF00000001000000000000000000000001000000000000000000000004";
    private const string YOfXFive = "459243B9AA581806FE913BCE99817ADE11CA503C64D9A3C533415C083248FBCC";

    [Theory]
    [InlineData(true, PointWithXFive, true)]
    [InlineData(false, PointWithXFive, true)]
    [InlineData(true, XFivePlusPrime, false)]
    [InlineData(false, XFivePlusPrime, false)]
    public void CoordinateOutsideTheField_GivesNoSeal(bool direct, string x, bool agrees)
    {
        // Reduced modulo p, X = 5 + p is the same point as X = 5, which is accepted: only the range check refuses it.
        using var alice = new PeerKeyPair(direct);
        byte[] spki = [.. Convert.FromHexString("3059301306072A8648CE3D020106082A8648CE3D03010703420004"), .. Convert.FromHexString(x), .. Convert.FromHexString(YOfXFive)];

        using var seal = alice.TryAgree("alice", "bob", Base64UrlText.Encode(spki));

        Assert.Equal(agrees, seal is not null);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void HybridPoint_GivesNoSeal(bool direct)
    {
        // 0x06 or 0x07 with X and Y: a form OpenSSL decodes, but not the one our peers send.
        using var alice = new PeerKeyPair(direct);
        using var bob = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var spki = bob.ExportSubjectPublicKeyInfo();
        spki[26] = (byte)(6 + (spki[^1] & 1));

        Assert.Null(alice.TryAgree("alice", "bob", Base64UrlText.Encode(spki)));
    }

    [Fact]
    public void DirectDerivation_RefusesAHybridPointItself()
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsFreeBSD()) || !OpenSslEcdh.IsAvailable)
        {
            Assert.False(OperatingSystem.IsLinux() && (SafeEvpPKeyHandle.OpenSslVersion >> 28) == 3);
            return;
        }

        // OpenSSL decodes 0x06/0x07 points; OpenSslEcdh refuses them without the caller's prefix check.
        using var alice = new ECDiffieHellmanOpenSsl(ECCurve.NamedCurves.nistP256);
        using var aliceHandle = alice.DuplicateKeyHandle();
        using var own = OpenSslEcdh.Import(aliceHandle);
        using var bob = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var point = bob.ExportSubjectPublicKeyInfo().AsSpan(26).ToArray();
        var secret = new byte[OpenSslEcdh.SecretLength];
        Assert.True(OpenSslEcdh.TryDeriveSecret(own, point, secret));

        point[0] = (byte)(6 + (point[^1] & 1));

        Assert.False(OpenSslEcdh.TryDeriveSecret(own, point, secret));
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
