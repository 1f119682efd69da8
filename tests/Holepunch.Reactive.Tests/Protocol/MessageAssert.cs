using System.Text;
using System.Text.Json;
using Holepunch.Reactive.Protocol;

namespace Holepunch.Reactive.Tests.Protocol;

/// <summary>Message equality for tests: records compare by value, their JSON payloads with <see cref="JsonElement.DeepEquals"/>.</summary>
internal static class MessageAssert
{
    public static JsonElement Json(string text) => JsonSerializer.Deserialize<JsonElement>(text);

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static HolepunchMessage DecodeOk(string datagram) => DecodeOk(Utf8(datagram));

    public static HolepunchMessage DecodeOk(byte[] datagram)
    {
        var result = MessageCodec.Decode(datagram);
        Assert.True(result.IsSuccess, $"Expected a message, got {result} for {Encoding.UTF8.GetString(datagram)}");
        return result.Message;
    }

    public static Rejection DecodeRejected(string datagram) => DecodeRejected(Utf8(datagram));

    public static Rejection DecodeRejected(byte[] datagram)
    {
        var result = MessageCodec.Decode(datagram);
        Assert.False(result.IsSuccess, $"Expected a rejection, got {result}");
        return result.Rejection;
    }

    public static void Equal(HolepunchMessage expected, HolepunchMessage actual) =>
        Assert.True(AreEqual(expected, actual), $"Expected {Describe(expected)}{Environment.NewLine}Actual   {Describe(actual)}");

    public static bool AreEqual(HolepunchMessage? x, HolepunchMessage? y) => (x, y) switch
    {
        (null, null) => true,
        (UnreliablePeerMessage a, UnreliablePeerMessage b) =>
            a with { Message = default } == b with { Message = default } && JsonElement.DeepEquals(a.Message, b.Message),
        (ReliablePeerMessage a, ReliablePeerMessage b) =>
            a with { Message = default } == b with { Message = default } && JsonElement.DeepEquals(a.Message, b.Message),
        (ReliablePeerMessageResponse a, ReliablePeerMessageResponse b) =>
            a with { Message = null } == b with { Message = null }
            && a.Message.HasValue == b.Message.HasValue
            && (!a.Message.HasValue || JsonElement.DeepEquals(a.Message.Value, b.Message!.Value)),
        (RelayDatagram a, RelayDatagram b) =>
            a with { Payload = default } == b with { Payload = default } && JsonElement.DeepEquals(a.Payload, b.Payload),
        // Capability lists are compared by reference in the records: compare their contents here.
        (RegisteringServer a, RegisteringServer b) =>
            a with { Capabilities = null } == b with { Capabilities = null } && SameStrings(a.Capabilities, b.Capabilities),
        (RequestingToJoinServer a, RequestingToJoinServer b) =>
            a with { Capabilities = null } == b with { Capabilities = null } && SameStrings(a.Capabilities, b.Capabilities),
        (ProvidingPeerHandshakeInfo a, ProvidingPeerHandshakeInfo b) =>
            a with { PeerCapabilities = null } == b with { PeerCapabilities = null } && SameStrings(a.PeerCapabilities, b.PeerCapabilities),
        // Batches hold lists (compared by reference in the record): compare them entry by entry. What the decoder left
        // out (Rejected) is not on the wire a re-encoding writes, so it is not compared.
        (PeerBatch a, PeerBatch b) =>
            a.Sender == b.Sender && a.IntendedRecipient == b.IntendedRecipient
            && a.Acknowledgements.SequenceEqual(b.Acknowledgements)
            && a.Messages.Count == b.Messages.Count && a.Messages.Zip(b.Messages).All(p => AreEqual(p.First, p.Second)),
        (null, _) or (_, null) => false,
        _ => x.Equals(y),
    };

    public static bool SameStrings(IReadOnlyList<string>? x, IReadOnlyList<string>? y) =>
        x is null ? y is null : y is not null && x.SequenceEqual(y, StringComparer.Ordinal);

    /// <summary>Whether two decode results are the same: equal rejections, or equal messages.</summary>
    public static bool AreSame(DecodeResult x, DecodeResult y) =>
        x.IsSuccess == y.IsSuccess && (x.IsSuccess ? AreEqual(x.Message, y.Message) : x.Rejection == y.Rejection);

    /// <summary>A description that never throws (a message's ToString reads its JSON payload).</summary>
    public static string Describe(HolepunchMessage message) => message switch
    {
        UnreliablePeerMessage m => $"{m with { Message = default }} message={m.Message.GetRawText()}",
        ReliablePeerMessage m => $"{m with { Message = default }} message={m.Message.GetRawText()}",
        ReliablePeerMessageResponse m => $"{m with { Message = null }} message={m.Message?.GetRawText()}",
        RelayDatagram m => $"{m with { Payload = default }} payload={m.Payload.GetRawText()}",
        RegisteringServer m => $"{m} capabilities={Strings(m.Capabilities)}",
        RequestingToJoinServer m => $"{m} capabilities={Strings(m.Capabilities)}",
        ProvidingPeerHandshakeInfo m => $"{m} peer-capabilities={Strings(m.PeerCapabilities)}",
        PeerBatch m => $"{m} acks=[{string.Join(",", m.Acknowledgements)}] messages=[{string.Join("; ", m.Messages.Select(Describe))}] rejected=[{string.Join(",", m.Rejected)}]",
        _ => message.ToString(),
    };

    private static string Strings(IReadOnlyList<string>? values) => values is null ? "null" : $"[{string.Join(",", values)}]";
}
