using System.Text;
using System.Text.Json;
using CsCheck;
using Holepunch.Reactive.Protocol;

namespace Holepunch.Reactive.Tests.Protocol;

/// <summary>
/// <see cref="MessageCodec.DecodeLean"/>: a plain unreliable message or a sealed datagram as an envelope without a
/// message object, everything else (and every rejection) exactly as <see cref="MessageCodec.Decode"/> gives it.
/// </summary>
public class MessageCodecLeanDecodeTests
{
    private static readonly byte[] Unreliable = MessageCodec.EncodeToArray(
        new UnreliablePeerMessage("joiner", "room", JsonDocument.Parse("""{"x":[1,"\u00e9"]}""").RootElement));

    private static readonly byte[] Sealed = MessageCodec.EncodeToArray(
        new SealedPeerDatagram("joiner", "room", 7, Base64UrlText.Encode(Enumerable.Range(0, 40).Select(i => (byte)i).ToArray())));

    private static readonly byte[][] Corpus =
    [
        Unreliable,
        Sealed,
        Encoding.UTF8.GetBytes("""{"message":"hi","intended-recipient":"room","sender":"joiner","type":"peer-message"}"""),
        Encoding.UTF8.GetBytes("""{"type":"sealed-peer-datagram","sender":"j","intended-recipient":"r","nonce":1.0,"ciphertext":"AAECAwQFBgcICQoLDA0ODxAREhM"}"""),
        MessageCodec.EncodeToArray(new PeerCheck("joiner", "room")),
        MessageCodec.EncodeToArray(new ReliablePeerMessage("joiner", "room", 3, JsonDocument.Parse("1").RootElement)),
    ];

    [Fact]
    public void UnreliableMessage_IsAnEnvelopeWithTheRecordsFields()
    {
        var result = MessageCodec.DecodeLean(Unreliable, MessageCodec.MaxUdpPayload, out var envelope);
        var record = (UnreliablePeerMessage)MessageCodec.Decode(Unreliable).Message!;

        Assert.False(result.IsSuccess);
        Assert.Equal(MessageKind.UnreliablePeerMessage, envelope.Kind);
        MessageAssert.Equal(record, envelope.ToMessage());
    }

    [Fact]
    public void SealedDatagram_IsAnEnvelopeWithTheCiphertextDecoded()
    {
        var record = (SealedPeerDatagram)MessageCodec.Decode(Sealed).Message!;

        MessageCodec.DecodeLean(Sealed, MessageCodec.MaxUdpPayload, out var envelope);
        try
        {
            Assert.Equal(MessageKind.SealedPeerDatagram, envelope.Kind);
            Assert.Equal(Base64UrlText.TryDecode(record.Ciphertext), envelope.SealedBytes.ToArray());
            MessageAssert.Equal(record, envelope.ToMessage());
        }
        finally
        {
            envelope.Release();
        }
    }

    [Theory]
    [InlineData("""{"type":"sealed-peer-datagram","sender":"j","intended-recipient":"r","nonce":1,"ciphertext":"not base64!"}""")]
    [InlineData("""{"type":"sealed-peer-datagram","sender":"j","intended-recipient":"r","nonce":1,"ciphertext":"AAEC\u0041"}""")]
    [InlineData("""{"type":"sealed-peer-datagram","sender":"j","intended-recipient":"r","ciphertext":"AAEC"}""")]
    [InlineData("""{"type":"unreliable-peer-message","sender":"j","intended-recipient":7,"message":1}""")]
    public void WhatIsNoCleanEnvelope_DecodesAsTheFullDecoderDoes(string json)
    {
        var datagram = Encoding.UTF8.GetBytes(json);

        var lean = MessageCodec.DecodeLean(datagram, MessageCodec.MaxUdpPayload, out var envelope);

        Assert.Equal(MessageKind.Unknown, envelope.Kind);
        Assert.Equal(MessageCodec.Decode(datagram).ToString(), lean.ToString());
    }

    [Fact]
    public void MutatedDatagrams_LeanAndFullDecodingAgree()
    {
        var gen = Gen.Select(Gen.Int[0, Corpus.Length - 1], DatagramMutator.Mutations(2), (index, mutations) => DatagramMutator.Mutate(Corpus[index], mutations));
        var envelopes = 0;

        FixedSeed.Check(
            gen,
            datagram =>
            {
                var full = MessageCodec.Decode(datagram);
                var lean = MessageCodec.DecodeLean(datagram, MessageCodec.MaxUdpPayload, out var envelope);
                try
                {
                    if (envelope.Kind == MessageKind.Unknown)
                    {
                        Assert.True(MessageAssert.AreSame(full, lean), full.ToString());
                    }
                    else
                    {
                        envelopes++;
                        Assert.True(full.IsSuccess);
                        AssertSame(full.Message, envelope);
                    }
                }
                finally
                {
                    envelope.Release();
                }
            },
            seed: 2_026,
            iterations: 3000,
            print: bytes => Convert.ToHexString(bytes));

        // Guards the property against a generator that never leaves a datagram decodable.
        Assert.InRange(envelopes, 50, 2900);
    }

    /// <summary>
    /// The envelope stands for the record: the same fields, and for a sealed datagram the same bytes (base64url lets
    /// whitespace through, which the record's ciphertext text keeps and the bytes do not).
    /// </summary>
    private static void AssertSame(HolepunchMessage expected, PeerEnvelope envelope)
    {
        if (expected is SealedPeerDatagram sealedDatagram)
        {
            Assert.Equal(Base64UrlText.TryDecode(sealedDatagram.Ciphertext), envelope.SealedBytes.ToArray());
            expected = sealedDatagram with { Ciphertext = Base64UrlText.Encode(envelope.SealedBytes) };
        }

        MessageAssert.Equal(expected, envelope.ToMessage());
    }

    [Fact]
    public void SealedDatagram_DecodesWithoutAllocating()
    {
        // The names come from the decoder's name cache, the bytes from the shared pool.
        for (var i = 0; i < 100; i++)
        {
            MessageCodec.DecodeLean(Sealed, MessageCodec.MaxUdpPayload, out var warm);
            warm.Release();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            MessageCodec.DecodeLean(Sealed, MessageCodec.MaxUdpPayload, out var envelope);
            envelope.Release();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
