using System.Net;
using System.Text;
using Holepunch.Reactive.Protocol;
using static Holepunch.Reactive.Tests.Protocol.MessageAssert;

namespace Holepunch.Reactive.Tests.Protocol;

/// <summary>The room-secret extension keys in the codec, and the <see cref="RoomSecret"/> helpers.</summary>
public sealed class RoomSecretExtensionTests
{
    private static readonly IPEndPoint Lan = new(IPAddress.Parse("192.168.1.20"), 4001);

    public static TheoryData<HolepunchMessage> Extended => new()
    {
        new RegisteringServer("room", Lan, 60) { RoomVerifier = "AAAA" },
        new RequestingToJoinServer("joiner", Lan, "room") { Challenge = "c1" },
        new RequestingToJoinServer("joiner", Lan, "room") { Challenge = "c1", ChallengeResponse = "r1" },
        new ServerError("joiner", "room requires a secret") { Challenge = "c2" },
    };

    [Theory]
    [MemberData(nameof(Extended))]
    public void ExtensionKeys_RoundTrip(HolepunchMessage message) =>
        Equal(message, DecodeOk(MessageCodec.EncodeToArray(message)));

    [Fact]
    public void ExtensionKeys_AreWrittenAfterTheKeysTheGodotClientKnows()
    {
        var error = new ServerError("joiner", "room requires a secret") { Challenge = "abc" };

        Assert.Equal(
            """{"type":"server-error","message":"room requires a secret","intended-recipient":"joiner","challenge":"abc"}""",
            Encoding.UTF8.GetString(MessageCodec.EncodeToArray(error)));
    }

    [Fact]
    public void MessageWithoutExtensions_IsEncodedExactlyAsBefore()
    {
        Assert.Equal(
            """{"type":"server-error","message":"room not found","intended-recipient":"joiner"}""",
            Encoding.UTF8.GetString(MessageCodec.EncodeToArray(new ServerError("joiner", "room not found"))));
    }

    [Fact]
    public void ExtensionKeyOfTheWrongType_CountsAsAbsent()
    {
        var join = Assert.IsType<RequestingToJoinServer>(DecodeOk(
            """{"type":"requesting-to-join-server","local-address":["10.0.0.7",4002],"server-name":"room","sender":"j","challenge":7,"challenge-response":{"x":1}}"""));

        Assert.Equal((null, null), (join.Challenge, join.ChallengeResponse));
    }

    [Fact]
    public void GodotRegistration_HasNoVerifier()
    {
        var registration = Assert.IsType<RegisteringServer>(DecodeOk(
            """{"type":"registering-server","local-address":["127.0.0.1",4001],"seconds-before-expiry":60,"sender":"room","intended-recipient":""}"""));

        Assert.Null(registration.RoomVerifier);
    }

    [Fact]
    public void DeriveKey_IsDeterministicAndSaltedByTheRoomName()
    {
        var key = RoomSecret.DeriveKey("hunter2", "room");

        Assert.Equal(RoomSecret.KeySize, key.Length);
        Assert.Equal(key, RoomSecret.DeriveKey("hunter2", "room"));
        Assert.NotEqual(key, RoomSecret.DeriveKey("hunter2", "other"));
        Assert.NotEqual(key, RoomSecret.DeriveKey("hunter3", "room"));
        Assert.Equal(key, RoomSecret.ParseVerifier(RoomSecret.ToVerifier(key)));
    }

    [Fact]
    public void Response_IsValidOnlyForItsKeyChallengeAndNames()
    {
        var key = RoomSecret.DeriveKey("hunter2", "room");
        var response = RoomSecret.ComputeResponse(key, "challenge", "joiner", "room");

        Assert.True(RoomSecret.IsValidResponse(key, "challenge", "joiner", "room", response));
        Assert.False(RoomSecret.IsValidResponse(RoomSecret.DeriveKey("x", "room"), "challenge", "joiner", "room", response));
        Assert.False(RoomSecret.IsValidResponse(key, "challengf", "joiner", "room", response));
        Assert.False(RoomSecret.IsValidResponse(key, "challenge", "joiner2", "room", response));
        // Length prefixes: moving a character from one name to the next gives another input.
        Assert.False(RoomSecret.IsValidResponse(key, "challenge", "joine", "rroom", response));
        Assert.False(RoomSecret.IsValidResponse(key, "challenge", "joiner", "room", "not base64!"));
        Assert.False(RoomSecret.IsValidResponse(key, "challenge", "joiner", "room", Convert.ToBase64String(new byte[31])));
    }

    [Theory]
    [InlineData("")]
    [InlineData("AAAA")]
    [InlineData("not base64 at all")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Verifier_NotBase64OfAThirtyTwoByteKey_IsRefused(string verifier) =>
        Assert.Null(RoomSecret.ParseVerifier(verifier));

    [Fact]
    public void EmptySecret_Throws() =>
        Assert.Throws<ArgumentException>(() => RoomSecret.DeriveKey("", "room"));
}
