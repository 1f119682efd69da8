using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using CsCheck;
using Holepunch.Reactive.Protocol;
using Holepunch.Reactive.Tests.Protocol.TestData;
using static Holepunch.Reactive.Tests.Protocol.MessageAssert;

namespace Holepunch.Reactive.Tests.Protocol;

/// <summary>
/// Properties over random and mutated datagrams: decoding never throws, is deterministic, and whatever it accepts
/// re-encodes to a datagram that decodes to the same message.
/// </summary>
public class MessageCodecPropertyTests
{
    private const int Iterations = 5000;

    private static readonly byte[] InterestingBytes =
        [.. "{}[]\":,\\ 0123456789.-+eEtrufalsn"u8, 0x00, 0x1F, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xED, 0xF0, 0xF4, 0xF8, 0xFF];

    /// <summary>Valid datagrams to mutate: Godot's own, every kind as we encode it, and the seed spellings.</summary>
    private static readonly byte[][] Corpus =
    [
        Utf8(GodotDatagrams.RegisteringServer),
        Utf8(GodotDatagrams.LocalGlobalInquiry),
        Utf8(GodotDatagrams.ReliablePeerMessage),
        Utf8(GodotDatagrams.ReliablePeerMessageResponse),
        Utf8("""{"type":"registering-server","sender":"room","intended-recipient":"","local-ip":"192.168.1.20","local-port":4000.0,"seconds-before-expiry":60}"""),
        Utf8("""{"type":"local-global-inqury-response","sender":"joiner","intended-recipient":"room","used-global":false}"""),
        Utf8("""{"type":"peer-message","sender":"room","intended-recipient":"joiner","message":{"k":["\u00e9\ud83d\ude00",1.5e3,null]}}"""),
        Utf8("""{"type":"relay-datagram","relay-token":"t","sender":"a","intended-recipient":"","payload":{ "type" : "peer-check", "k":"\u00e9" }}"""),
        Utf8("""{"type":"requesting-to-join-server","local-address":["10.0.0.7",4002],"server-name":"room","sender":"j","intended-recipient":"","capabilities":["relay",1,null,"x"],"protocol-version":1.0}"""),
        .. MessageCodecRoundTripTests.Samples.Select(MessageCodec.EncodeToArray),
    ];

    [Fact]
    public void RandomBytes_DecodeNeverThrowsAndIsDeterministic()
    {
        FixedSeed.Check(Gen.Byte.Array[0, 160], AssertDecodeIsWellBehaved, seed: 20_240_901, Iterations, Hex);
    }

    [Fact]
    public void RandomBytesInsideAnObject_DecodeNeverThrowsAndIsDeterministic()
    {
        var gen = Gen.Frequency((1, Gen.Byte), (2, Gen.OneOf(InterestingBytes))).Array[0, 80]
            .Select(body => (byte[])[.. "{\"type\":\"peer-message\",\"sender\":\"a\",\"intended-recipient\":\"b\",\"message\":"u8, .. body, (byte)'}']);

        FixedSeed.Check(gen, AssertDecodeIsWellBehaved, seed: 7, Iterations, Hex);
    }

    [Fact]
    public void MutatedValidDatagrams_DecodeNeverThrowsAndIsDeterministic()
    {
        var mutation = Gen.Select(Gen.Int[0, 3], Gen.Int[0, int.MaxValue], Gen.Frequency((1, Gen.Byte), (2, Gen.OneOf(InterestingBytes))));
        var gen = Gen.Select(Gen.Int[0, Corpus.Length - 1], mutation.Array[1, 4], (index, mutations) => DatagramMutator.Mutate(Corpus[index], mutations));

        FixedSeed.Check(gen, AssertDecodeIsWellBehaved, seed: 4_000, Iterations, Hex);
    }

    [Fact]
    public void MutatedValidDatagrams_SomeStillDecode()
    {
        // Guards the property above against a generator that only ever produces garbage.
        var accepted = 0;
        var mutation = Gen.Select(Gen.Int[0, 3], Gen.Int[0, int.MaxValue], Gen.OneOf(InterestingBytes));
        var gen = Gen.Select(Gen.Int[0, Corpus.Length - 1], mutation.Array[1, 1], (index, mutations) => DatagramMutator.Mutate(Corpus[index], mutations));

        FixedSeed.Check(gen, datagram => accepted += MessageCodec.Decode(datagram).IsSuccess ? 1 : 0, seed: 11, 1000, Hex);

        Assert.InRange(accepted, 50, 950);
    }

    [Fact]
    public void GeneratedMessages_RoundTripExactly()
    {
        FixedSeed.Check(Messages, message =>
        {
            var datagram = MessageCodec.EncodeToArray(message);
            var decoded = DecodeOk(datagram);

            Equal(message, decoded);
            Assert.Equal(datagram, MessageCodec.EncodeToArray(decoded));
        }, seed: 65_535, Iterations, Describe);
    }

    private static void AssertDecodeIsWellBehaved(byte[] datagram)
    {
        var first = MessageCodec.Decode(datagram);
        var again = MessageCodec.Decode(datagram.ToArray());

        Assert.True(AreSame(first, again), $"Decoding twice differed: {first} / {again}");
        if (!first.IsSuccess)
        {
            Assert.True(Enum.IsDefined(first.Rejection.Reason));
            return;
        }

        // What we accept is safe to log and to send on.
        _ = first.Message.ToString();
        var reencoded = MessageCodec.EncodeToArray(first.Message);
        var decoded = MessageCodec.Decode(reencoded);
        Assert.True(decoded.IsSuccess, $"Re-encoded {Encoding.UTF8.GetString(reencoded)} was rejected: {decoded}");
        Equal(first.Message, decoded.Message);
    }

    private static string Hex(byte[] bytes) => $"{Convert.ToHexString(bytes)} ({Encoding.UTF8.GetString(bytes)})";

    private static readonly Gen<string> Names = Gen.Frequency(
        (6, Gen.String["abcxyz-_ 0189éü中\"\\/\t\u0001"]),
        (1, Gen.OneOf("", "😀", "room", "a\u0000b", "\u2028")));

    private static readonly Gen<IPAddress> Addresses = Gen.Frequency(
        (3, Gen.Byte.Array[4].Select(b => new IPAddress(b))),
        (1, Gen.Byte.Array[16].Select(b => new IPAddress(b))));

    private static readonly Gen<IPEndPoint> EndPoints = Gen.Select(Addresses, Gen.Int[1, 65535], (a, p) => new IPEndPoint(a, p));

    private static readonly Gen<JsonElement> JsonValues = Gen.OneOf(
        Gen.Int.Select(i => i.ToString(CultureInfo.InvariantCulture)),
        Gen.Double[-1e300, 1e300].Select(d => d.ToString("R", CultureInfo.InvariantCulture)),
        Names.Select(s => JsonSerializer.Serialize(s)),
        Gen.OneOf("null", "true", "false", "[]", "{}", """{"a":[1,{"b":null}],"c":"d"}""", "[[[\"deep\"]]]"))
        .Select(Json);

    private static readonly Gen<IReadOnlyList<string>?> Capabilities = Gen.Frequency(
        (1, Gen.Const((IReadOnlyList<string>?)null)),
        (2, Names.Array[0, 4].Select(names => (IReadOnlyList<string>?)names)));

    private static readonly Gen<int?> Versions = Gen.Frequency((1, Gen.Const((int?)null)), (1, Gen.Int[0, int.MaxValue].Select(v => (int?)v)));

    private static readonly Gen<string?> Tokens = Gen.Frequency((1, Gen.Const((string?)null)), (1, Names.Select(t => (string?)t)));

    /// <summary>Relay payloads: JSON objects, some with whitespace and escapes that must survive byte for byte.</summary>
    private static readonly Gen<JsonElement> Payloads = Gen.OneOf(
        Names.Select(n => $$"""{"type":"peer-check","sender":{{JsonSerializer.Serialize(n)}},"intended-recipient":"b"}"""),
        Gen.OneOf("{}", "{ }", """{"a":[1,{"b":null}],"c":"d"}""", """{ "k" : "\u00e9\n" , "n" : 4000.0 }"""))
        .Select(Json);

    private static readonly Gen<long> Ids = Gen.Frequency((3, Gen.Long[0, 100]), (1, Gen.Long[0, long.MaxValue]));

    private static readonly Gen<HolepunchMessage> Messages = Gen.OneOf<HolepunchMessage>(
        Gen.Select(Names, EndPoints, Gen.Int[0, int.MaxValue], Capabilities, Versions, (s, e, x, c, v) =>
            (HolepunchMessage)new RegisteringServer(s, e, x) { Capabilities = c, ProtocolVersion = v }),
        Gen.Select(Names, EndPoints, Names, Capabilities, Versions, (s, e, r, c, v) =>
            (HolepunchMessage)new RequestingToJoinServer(s, e, r) { Capabilities = c, ProtocolVersion = v }),
        Names.Select(r => (HolepunchMessage)new ConfirmingRegistration(r)),
        Gen.Select(Names, Names, EndPoints, EndPoints, Capabilities, Tokens, (r, p, g, l, c, t) =>
            (HolepunchMessage)new ProvidingPeerHandshakeInfo(r, p, g, l) { PeerCapabilities = c, RelayToken = t }),
        Gen.Select(Names, Names, Names, Payloads, (s, r, t, p) => (HolepunchMessage)new RelayDatagram(s, r, t, p)),
        Gen.Select(Names, Names, Names, (r, t, m) => (HolepunchMessage)new RelayRefused(r, t, m)),
        Gen.Select(Names, Ids, (s, i) => (HolepunchMessage)new NatProbe(s, i)),
        Gen.Select(Names, Ids, EndPoints, (r, i, e) => (HolepunchMessage)new NatProbeResponse(r, i, e)),
        Gen.Select(Names, Names, (r, m) => (HolepunchMessage)new ServerError(r, m)),
        Gen.Select(Names, Names, Gen.Bool, (s, r, g) => (HolepunchMessage)new LocalGlobalInquiry(s, r, g)),
        Gen.Select(Names, Names, Gen.Bool, (s, r, g) => (HolepunchMessage)new LocalGlobalInquiryResponse(s, r, g)),
        Gen.Select(Names, Names, (s, r) => (HolepunchMessage)new PeerCheck(s, r)),
        Gen.Select(Names, Names, (s, r) => (HolepunchMessage)new PeerCheckResponse(s, r)),
        Gen.Select(Names, Names, JsonValues, (s, r, m) => (HolepunchMessage)new UnreliablePeerMessage(s, r, m)),
        Gen.Select(Names, Names, Ids, JsonValues, (s, r, i, m) => (HolepunchMessage)new ReliablePeerMessage(s, r, i, m)),
        Gen.Select(Names, Names, Ids, JsonValues, Gen.Bool, (s, r, i, m, mirrored) => (HolepunchMessage)new ReliablePeerMessageResponse(s, r, i, mirrored ? m : null)));
}
