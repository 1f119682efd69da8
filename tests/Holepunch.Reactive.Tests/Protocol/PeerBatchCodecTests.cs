using System.Text;
using Holepunch.Reactive.Protocol;
using Holepunch.Reactive.Tests.Protocol.TestData;
using static Holepunch.Reactive.Tests.Protocol.MessageAssert;

namespace Holepunch.Reactive.Tests.Protocol;

/// <summary>The <c>peer-batch</c> extension: its wire form, its writer, and lenient decoding entry by entry.</summary>
public sealed class PeerBatchCodecTests
{
    private const string Routing = "\"sender\":\"joiner\",\"intended-recipient\":\"room\"";
    private const string Reliable7 = "{\"message\":\"hi\",\"message-id\":7,\"type\":\"reliable-peer-message\"," + Routing + "}";
    private const string Check = "{\"type\":\"peer-check\"," + Routing + "}";
    private const string Reliable7InBatch = "{\"message\":\"hi\",\"message-id\":7,\"type\":\"reliable-peer-message\"}";
    private const string CheckInBatch = "{\"type\":\"peer-check\"}";

    private static string Batch(string rest) => "{\"type\":\"peer-batch\"," + Routing + rest + "}";

    [Fact]
    public void Encode_WritesRoutingThenAcksThenEachMessageWithoutTheBatchsRouting()
    {
        var batch = new PeerBatch("joiner", "room", [1, 2], [(ReliablePeerMessage)DecodeOk(Reliable7), new PeerCheck("joiner", "room")]);

        var text = Encoding.UTF8.GetString(MessageCodec.EncodeToArray(batch));

        Assert.Equal(Batch($",\"acks\":[1,2],\"messages\":[{Reliable7InBatch},{CheckInBatch}]"), text);
    }

    [Fact]
    public void Encode_AnEntryWithOtherRouting_KeepsItsOwn()
    {
        var batch = new PeerBatch("joiner", "room", [], [new PeerCheck("mallory", "room")]);

        var text = Encoding.UTF8.GetString(MessageCodec.EncodeToArray(batch));

        Assert.Equal(Batch(",\"messages\":[{\"type\":\"peer-check\",\"sender\":\"mallory\",\"intended-recipient\":\"room\"}]"), text);
        Assert.Equal("mallory", Assert.Single(Assert.IsType<PeerBatch>(DecodeOk(text)).Messages).Sender);
    }

    [Fact]
    public void Decode_AnEntryWithoutRouting_TakesTheBatchs_WhateverTheKeyOrder()
    {
        var text = $"{{\"messages\":[{CheckInBatch}],\"type\":\"peer-batch\",{Routing}}}";

        var entry = Assert.Single(Assert.IsType<PeerBatch>(DecodeOk(text)).Messages);

        Assert.Equal(new PeerCheck("joiner", "room"), entry);
    }

    [Fact]
    public void Writer_WritesTheBytesTheCodecWrites()
    {
        var writer = new PeerBatchWriter("joiner", "room");
        Assert.True(writer.TryAddAcknowledgement(1, 1200));
        Assert.True(writer.TryAddAcknowledgement(22, 1200));
        Assert.True(writer.TryAddMessage(Utf8(Reliable7), 1200));
        Assert.True(writer.TryAddMessage(Utf8(Check), 1200));
        var written = Encoding.UTF8.GetString(writer.Finish());

        var expected = new PeerBatch("joiner", "room", [1, 22], [(ReliablePeerMessage)DecodeOk(Reliable7), new PeerCheck("joiner", "room")]);
        Assert.Equal(Encoding.UTF8.GetString(MessageCodec.EncodeToArray(expected)), written);
    }

    [Fact]
    public void Writer_OnlyMessages_OrOnlyAcks_IsValidJson()
    {
        var writer = new PeerBatchWriter("joiner", "room");
        Assert.True(writer.TryAddMessage(Utf8(Check), 1200));
        Assert.Equal(Batch($",\"messages\":[{CheckInBatch}]"), Encoding.UTF8.GetString(writer.Finish()));

        writer.Start();
        Assert.True(writer.TryAddAcknowledgement(5, 1200));
        Assert.Equal(Batch(",\"acks\":[5]"), Encoding.UTF8.GetString(writer.Finish()));
    }

    [Fact]
    public void Writer_StopsAtTheLimit_AndTheFinishedBatchFitsIt()
    {
        var writer = new PeerBatchWriter("joiner", "room");
        var added = 0;
        while (writer.TryAddMessage(Utf8(Reliable7), 600))
        {
            added++;
        }

        var length = writer.Finish().Length;
        Assert.InRange(length, 600 - Reliable7InBatch.Length, 600);
        Assert.Equal(added, writer.MessageCount);
        Assert.False(writer.TryAddAcknowledgement(1, 100_000)); // acknowledgements come before messages
    }

    [Fact]
    public void Decode_KeepsTheOrderOfMessagesAndAcks()
    {
        var batch = Assert.IsType<PeerBatch>(DecodeOk(Batch($",\"acks\":[3,1.0,2],\"messages\":[{Check},{Reliable7}]")));

        Assert.Equal([3L, 1L, 2L], batch.Acknowledgements);
        Assert.Equal([MessageKind.PeerCheck, MessageKind.ReliablePeerMessage], batch.Messages.Select(m => m.Kind));
        Assert.Equal(7, ((ReliablePeerMessage)batch.Messages[1]).MessageId);
        Assert.Empty(batch.Rejected);
    }

    [Fact]
    public void Decode_AGodotDatagramInside_IsTheMessageItIsAlone()
    {
        var batch = Assert.IsType<PeerBatch>(DecodeOk(Batch($",\"messages\":[{GodotDatagrams.ReliablePeerMessage}]")));

        Equal(DecodeOk(GodotDatagrams.ReliablePeerMessage), Assert.Single(batch.Messages));
    }

    [Theory]
    [InlineData("{\"message\":8,\"type\":\"reliable-peer-message\"," + Routing + "}", RejectionReason.MissingField, MessageKind.ReliablePeerMessage)]
    [InlineData("{\"type\":\"peer-batch\"," + Routing + ",\"messages\":[" + Check + "]}", RejectionReason.NotBatchable, MessageKind.PeerBatch)]
    [InlineData("{\"type\":\"sealed-peer-datagram\"," + Routing + ",\"nonce\":1,\"ciphertext\":\"AA\"}", RejectionReason.NotBatchable, MessageKind.SealedPeerDatagram)]
    [InlineData("{\"used-global\":true,\"type\":\"local-global-inqury\"," + Routing + "}", RejectionReason.NotBatchable, MessageKind.LocalGlobalInquiry)]
    [InlineData("{\"type\":\"confirming-registration\",\"intended-recipient\":\"room\"}", RejectionReason.NotBatchable, MessageKind.ConfirmingRegistration)]
    [InlineData("{\"type\":\"no-such-thing\"}", RejectionReason.UnknownType, MessageKind.Unknown)]
    [InlineData("[1,2]", RejectionReason.NotAnObject, MessageKind.Unknown)]
    [InlineData("\"text\"", RejectionReason.NotAnObject, MessageKind.Unknown)]
    public void Decode_ABadEntry_IsRejectedAlone(string entry, RejectionReason reason, MessageKind kind)
    {
        var batch = Assert.IsType<PeerBatch>(DecodeOk(Batch($",\"messages\":[{Check},{entry},{Reliable7}]")));

        Assert.Equal([MessageKind.PeerCheck, MessageKind.ReliablePeerMessage], batch.Messages.Select(m => m.Kind));
        var rejection = Assert.Single(batch.Rejected);
        Assert.Equal((reason, kind), (rejection.Reason, rejection.Kind));
    }

    [Fact]
    public void Decode_BadAcks_AreRejectedAlone()
    {
        var batch = Assert.IsType<PeerBatch>(DecodeOk(Batch(",\"acks\":[1,\"2\",-3,4.5,null,5]")));

        Assert.Equal([1L, 5L], batch.Acknowledgements);
        Assert.Equal(
            [RejectionReason.WrongType, RejectionReason.ValueOutOfRange, RejectionReason.WrongType, RejectionReason.WrongType],
            batch.Rejected.Select(r => r.Reason));
    }

    [Fact]
    public void Decode_EntriesBeyondTheLimits_AreRejectedUnread()
    {
        var messages = string.Join(",", Enumerable.Repeat(Check, PeerBatch.MaxMessages + 3));
        var acks = string.Join(",", Enumerable.Range(0, PeerBatch.MaxAcknowledgements + 2));

        var batch = Assert.IsType<PeerBatch>(DecodeOk(Batch($",\"acks\":[{acks}],\"messages\":[{messages}]")));

        Assert.Equal(PeerBatch.MaxMessages, batch.Messages.Count);
        Assert.Equal(PeerBatch.MaxAcknowledgements, batch.Acknowledgements.Count);
        Assert.Equal(5, batch.Rejected.Count(r => r.Reason == RejectionReason.TooManyEntries));
    }

    [Theory]
    [InlineData(",\"messages\":{}", RejectionReason.WrongType, "messages")]
    [InlineData(",\"acks\":7", RejectionReason.WrongType, "acks")]
    [InlineData("", RejectionReason.MissingField, "messages")]
    public void Decode_ABadEnvelope_RejectsTheBatch(string rest, RejectionReason reason, string key)
    {
        var rejection = DecodeRejected(Batch(rest));

        Assert.Equal((reason, MessageKind.PeerBatch, key), (rejection.Reason, rejection.Kind, rejection.Key));
    }

    [Fact]
    public void Decode_WithoutRouting_RejectsTheBatch()
    {
        var rejection = DecodeRejected($"{{\"type\":\"peer-batch\",\"messages\":[{Check}]}}");

        Assert.Equal((RejectionReason.MissingField, "sender"), (rejection.Reason, rejection.Key));
    }

    [Fact]
    public void Decode_DeeplyNestedBatchAttempts_StayBounded()
    {
        // A batch inside an entry is not read at all (its keys are skipped): no recursion however deep the text nests.
        var nested = Check;
        for (var i = 0; i < 15; i++)
        {
            nested = "{\"type\":\"peer-batch\"," + Routing + ",\"messages\":[" + nested + "]}";
        }

        var batch = Assert.IsType<PeerBatch>(DecodeOk(nested));

        Assert.Empty(batch.Messages);
        Assert.Equal(RejectionReason.NotBatchable, Assert.Single(batch.Rejected).Reason);
    }
}
