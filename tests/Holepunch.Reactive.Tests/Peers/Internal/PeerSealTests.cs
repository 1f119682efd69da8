using System.Buffers;
using System.Text;
using Holepunch.Reactive.Peers.Internal;
using Holepunch.Reactive.Protocol;

namespace Holepunch.Reactive.Tests.Peers.Internal;

public sealed class PeerSealTests
{
    private static (PeerSeal Alice, PeerSeal Bob) Pair()
    {
        using var alice = new PeerKeyPair();
        using var bob = new PeerKeyPair();
        return (alice.TryAgree("alice", "bob", bob.PublicKey)!, bob.TryAgree("bob", "alice", alice.PublicKey)!);
    }

    [Fact]
    public void AgreedKeys_OpenWhatTheOtherSideSealed_BothWays()
    {
        var (alice, bob) = Pair();
        using (alice)
        using (bob)
        {
            var toBob = alice.Seal("hello bob"u8);
            var toAlice = bob.Seal("hello alice"u8);

            Assert.Null(bob.TryOpen(toBob, out var atBob));
            Assert.Null(alice.TryOpen(toAlice, out var atAlice));
            Assert.Equal("hello bob", Encoding.UTF8.GetString(atBob));
            Assert.Equal("hello alice", Encoding.UTF8.GetString(atAlice));
        }
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void SealsOnEitherAesGcmPath_OpenOnTheOther(bool aliceDirect, bool bobDirect)
    {
        var aliceToBob = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var bobToAlice = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        using var alice = new PeerSeal("alice", "bob", aliceToBob, bobToAlice, aliceDirect);
        using var bob = new PeerSeal("bob", "alice", bobToAlice, aliceToBob, bobDirect);

        Assert.Null(bob.TryOpen(alice.Seal("hello bob"u8), out var atBob));
        Assert.Equal("hello bob", Encoding.UTF8.GetString(atBob));
        Assert.Null(alice.TryOpen(bob.Seal("hello alice"u8), out var atAlice));
        Assert.Equal("hello alice", Encoding.UTF8.GetString(atAlice));
        Assert.Equal("unauthentic-sealed-datagram", bob.TryOpen(alice.Seal("x"u8) with { Nonce = 99 }, out _));
    }

    [Fact]
    public void SealedWithoutARecord_IsTheSameDatagramAsTheRecordEncoded()
    {
        // Two seals with the same keys and counters: one takes the allocation-free path, the other makes the record.
        using var aliceKeys = new PeerKeyPair();
        using var bobKeys = new PeerKeyPair();
        using var direct = aliceKeys.TryAgree("alice", "bob", bobKeys.PublicKey)!;
        using var viaRecord = aliceKeys.TryAgree("alice", "bob", bobKeys.PublicKey)!;
        var plaintext = Encoding.UTF8.GetBytes("""{"type":"unreliable-peer-message","message":"hi"}""");

        var sealedBytes = direct.SealInPlace(plaintext, out var nonce);
        var fast = new ArrayBufferWriter<byte>();
        MessageCodec.EncodeSealedPeerDatagram("alice", "bob", nonce, sealedBytes, fast);

        Assert.Equal(MessageCodec.EncodeToArray(viaRecord.Seal(plaintext)), fast.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(5000)]
    public void DatagramsLargerThanTheReusedBuffers_OpenIntact(int size)
    {
        var (alice, bob) = Pair();
        using (alice)
        using (bob)
        {
            Assert.Null(bob.TryOpen(alice.Seal("small"u8), out _));
            var payload = Enumerable.Range(0, size).Select(i => (byte)(i % 251)).ToArray();

            Assert.Null(bob.TryOpen(alice.Seal(payload), out var opened));
            Assert.Equal(payload, opened.ToArray());
        }
    }

    [Fact]
    public void OwnDatagramReflectedBack_IsUnauthentic()
    {
        var (alice, bob) = Pair();
        using (alice)
        using (bob)
        {
            var sealedByAlice = alice.Seal("x"u8);

            Assert.Equal("unauthentic-sealed-datagram", alice.TryOpen(sealedByAlice with { Sender = "bob", IntendedRecipient = "alice" }, out _));
        }
    }

    [Fact]
    public void NonceOlderThanTheWindow_IsRefusedAsReplayed()
    {
        var (alice, bob) = Pair();
        using (alice)
        using (bob)
        {
            var first = alice.Seal("first"u8);
            SealedPeerDatagram last = first;
            for (var i = 0; i < PeerSeal.ReplayWindow + 1; i++)
            {
                last = alice.Seal("later"u8);
            }

            Assert.Null(bob.TryOpen(last, out _));
            Assert.Equal("replayed-sealed-datagram", bob.TryOpen(first, out _));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64 !")]
    [InlineData("AAAA")]
    public void GarbageCiphertext_IsRefusedWithoutThrowing(string ciphertext)
    {
        var (alice, bob) = Pair();
        using (alice)
        using (bob)
        {
            Assert.NotNull(bob.TryOpen(new SealedPeerDatagram("alice", "bob", 0, ciphertext), out _));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("%%%")]
    [InlineData("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE")]
    public void UnusablePeerKey_GivesNoSeal(string key)
    {
        using var alice = new PeerKeyPair();

        Assert.Null(alice.TryAgree("alice", "bob", key));
    }

    [Fact]
    public void PeerKeyOnAnotherCurve_GivesNoSeal()
    {
        using var alice = new PeerKeyPair();
        using var p384 = System.Security.Cryptography.ECDiffieHellman.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);
        var key = Convert.ToBase64String(p384.ExportSubjectPublicKeyInfo()).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        Assert.Null(alice.TryAgree("alice", "bob", key));
    }
}
