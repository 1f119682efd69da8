using System.Net;
using System.Text;
using Holepunch.Reactive.Protocol;
using Holepunch.Reactive.Rendezvous;
using static Holepunch.Reactive.Tests.Rendezvous.RendezvousServerHarness;

namespace Holepunch.Reactive.Tests.Rendezvous;

/// <summary>Rooms with a secret (the <see cref="RoomSecret"/> extension), with raw datagrams as a client would send them.</summary>
public sealed class RendezvousServerRoomSecretTests
{
    private const string Secret = "correct horse battery staple";
    private static readonly IPEndPoint Host = EndPoint("203.0.113.5:40000");
    private static readonly IPEndPoint Joiner = EndPoint("198.51.100.7:50000");
    private static readonly IPEndPoint Attacker = EndPoint("192.0.2.66:6666");
    private static readonly byte[] Key = RoomSecret.DeriveKey(Secret, "room");

    private static string RegisterWithKey(byte[] key, int seconds = 60) =>
        $$"""{"type":"registering-server","local-address":["10.0.0.2",4001],"seconds-before-expiry":{{seconds}},"sender":"room","intended-recipient":"","room-verifier":"{{RoomSecret.ToVerifier(key)}}"}""";

    private static string AnsweredJoin(string joiner, string challenge, string response) =>
        $$"""{"type":"requesting-to-join-server","local-address":["10.0.0.7",4002],"server-name":"room","sender":"{{joiner}}","intended-recipient":"","challenge":"{{challenge}}","challenge-response":"{{response}}"}""";

    private static ServerError DecodeError(SentDatagram sent) =>
        Assert.IsType<ServerError>(MessageCodec.Decode(Encoding.UTF8.GetBytes(sent.Json)).Message);

    private static RendezvousServerHarness ProtectedRoom()
    {
        var harness = new RendezvousServerHarness();
        harness.Handle(RegisterWithKey(Key), Host);
        Assert.Equal(Confirmation("room"), Assert.Single(harness.TakeSent()).Json);
        return harness;
    }

    /// <summary>Sends a plain join from <paramref name="from"/> and returns the challenge it got.</summary>
    private static string Challenge(RendezvousServerHarness harness, IPEndPoint from, string joiner = "joiner")
    {
        harness.Handle(Join(joiner, "room"), from);
        var error = DecodeError(Assert.Single(harness.TakeSent()));
        Assert.Equal("room requires a secret", error.Message);
        return Assert.IsType<string>(error.Challenge);
    }

    [Fact]
    public void PlainJoinOfRoomWithSecret_GetsAChallengeAndNoIntroduction()
    {
        using var harness = ProtectedRoom();

        harness.Handle(Join("joiner", "room"), Joiner);

        var sent = Assert.Single(harness.TakeSent());
        Assert.Equal(Joiner, sent.To);
        Assert.StartsWith("""{"type":"server-error","message":"room requires a secret","intended-recipient":"joiner","challenge":""", sent.Json, StringComparison.Ordinal);
        Assert.Equal(0, harness.Server.Counters.Joins);
    }

    [Fact]
    public void ChallengeAnsweredWithTheSecret_IntroducesBothSides()
    {
        using var harness = ProtectedRoom();
        var challenge = Challenge(harness, Joiner);

        harness.Handle(AnsweredJoin("joiner", challenge, RoomSecret.ComputeResponse(Key, challenge, "joiner", "room")), Joiner);

        var sent = harness.TakeSent();
        Assert.Equal(2, sent.Length);
        Assert.Contains(sent, s => s.To.Equals(Host) && s.Json.Contains("\"peer-name\":\"joiner\"", StringComparison.Ordinal));
        Assert.Contains(sent, s => s.To.Equals(Joiner) && s.Json.Contains("\"peer-name\":\"room\"", StringComparison.Ordinal));
        Assert.Equal(1, harness.Server.Counters.Joins);
    }

    [Fact]
    public void ChallengeAnsweredWithAnotherSecret_GetsWrongSecretAndNoNewChallenge()
    {
        using var harness = ProtectedRoom();
        var challenge = Challenge(harness, Joiner);
        var wrongKey = RoomSecret.DeriveKey("guess", "room");

        harness.Handle(AnsweredJoin("joiner", challenge, RoomSecret.ComputeResponse(wrongKey, challenge, "joiner", "room")), Joiner);

        var error = DecodeError(Assert.Single(harness.TakeSent()));
        Assert.Equal(("wrong secret for room", null), (error.Message, error.Challenge));
        Assert.Equal(0, harness.Server.Counters.Joins);
    }

    [Fact]
    public void ProofCapturedAndReplayedFromAnotherAddress_IsNotIntroduced()
    {
        using var harness = ProtectedRoom();
        var challenge = Challenge(harness, Joiner);
        var proof = AnsweredJoin("joiner", challenge, RoomSecret.ComputeResponse(Key, challenge, "joiner", "room"));

        harness.Handle(proof, Attacker);

        var sent = Assert.Single(harness.TakeSent());
        var error = DecodeError(sent);
        Assert.Equal((Attacker, 0L), (sent.To, harness.Server.Counters.Joins));
        Assert.Equal("room requires a secret", error.Message);
        Assert.NotEqual(challenge, error.Challenge);
    }

    [Fact]
    public void ChallengeIssuedToAnotherJoinerName_IsNotAccepted()
    {
        using var harness = ProtectedRoom();
        var challenge = Challenge(harness, Joiner, "alice");

        harness.Handle(AnsweredJoin("bob", challenge, RoomSecret.ComputeResponse(Key, challenge, "bob", "room")), Joiner);

        Assert.Equal("room requires a secret", DecodeError(Assert.Single(harness.TakeSent())).Message);
        Assert.Equal(0, harness.Server.Counters.Joins);
    }

    [Fact]
    public void ChallengeOlderThanTwoSteps_IsReplacedByANewOne()
    {
        using var harness = ProtectedRoom();
        var challenge = Challenge(harness, Joiner);
        harness.Scheduler.AdvanceBy(JoinChallenges.Step * 2);
        harness.Handle(RegisterWithKey(Key), Host);
        harness.TakeSent();

        harness.Handle(AnsweredJoin("joiner", challenge, RoomSecret.ComputeResponse(Key, challenge, "joiner", "room")), Joiner);

        Assert.Equal("room requires a secret", DecodeError(Assert.Single(harness.TakeSent())).Message);
    }

    [Fact]
    public void ForgedChallenge_IsReplacedByANewOne()
    {
        using var harness = ProtectedRoom();
        var forged = Convert.ToBase64String(new byte[24]);

        harness.Handle(AnsweredJoin("joiner", forged, RoomSecret.ComputeResponse(Key, forged, "joiner", "room")), Joiner);

        Assert.Equal("room requires a secret", DecodeError(Assert.Single(harness.TakeSent())).Message);
        Assert.Equal(0, harness.Server.Counters.Joins);
    }

    [Fact]
    public void ServerKeepsTheDerivedKeyNotTheSecret()
    {
        using var harness = ProtectedRoom();

        var registration = harness.Server.Registrations.Lookup("room").Value;

        Assert.True(registration.RequiresSecret);
        Assert.Equal(Key, registration.RoomKey);
        Assert.DoesNotContain(Secret, registration.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void RefreshWithAnotherKeyOrNone_IsRefused_AndTheSameKeyRefreshes()
    {
        using var harness = ProtectedRoom();

        harness.Handle(Register("room"), Host);
        Assert.Equal(Error("room", "server already exists"), Assert.Single(harness.TakeSent()).Json);
        harness.Handle(RegisterWithKey(RoomSecret.DeriveKey("other", "room")), Host);
        Assert.Equal(Error("room", "server already exists"), Assert.Single(harness.TakeSent()).Json);
        harness.Handle(RegisterWithKey(Key), Host);
        Assert.Equal(Confirmation("room"), Assert.Single(harness.TakeSent()).Json);

        Assert.True(harness.Server.Registrations.Lookup("room").Value.RequiresSecret);
    }

    [Fact]
    public void OpenRoom_CannotBeGivenAKeyByARefresh()
    {
        using var harness = new RendezvousServerHarness();
        harness.Handle(Register("room"), Host);
        harness.TakeSent();

        harness.Handle(RegisterWithKey(Key), Host);

        Assert.Equal(Error("room", "server already exists"), Assert.Single(harness.TakeSent()).Json);
        Assert.False(harness.Server.Registrations.Lookup("room").Value.RequiresSecret);
    }

    [Fact]
    public void InvalidVerifier_GetsMissingInfo()
    {
        using var harness = new RendezvousServerHarness();

        harness.Handle(
            """{"type":"registering-server","local-address":["10.0.0.2",4001],"seconds-before-expiry":60,"sender":"room","room-verifier":"short"}""",
            Host);

        Assert.Equal(Error("room", "missing info from packet data: room-verifier"), Assert.Single(harness.TakeSent()).Json);
        Assert.False(harness.Server.Registrations.Lookup("room").HasValue);
    }

    [Fact]
    public void JoinWithAProofOfAnOpenRoom_IsIntroducedAsUsual()
    {
        using var harness = new RendezvousServerHarness();
        harness.Handle(Register("room"), Host);
        harness.TakeSent();

        harness.Handle(AnsweredJoin("joiner", "anything", "anything"), Joiner);

        Assert.Equal(2, harness.TakeSent().Length);
        Assert.Equal(1, harness.Server.Counters.Joins);
    }
}
