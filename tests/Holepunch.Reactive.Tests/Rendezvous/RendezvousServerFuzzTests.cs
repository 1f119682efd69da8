using System.Net;
using System.Text;
using CsCheck;
using Holepunch.Reactive.Protocol;
using Holepunch.Reactive.Rendezvous;
using Holepunch.Reactive.Tests.Protocol;
using Holepunch.Reactive.Tests.Protocol.TestData;
using Xunit.Abstractions;
using static Holepunch.Reactive.Tests.Rendezvous.RendezvousServerHarness;

namespace Holepunch.Reactive.Tests.Rendezvous;

/// <summary>
/// The server pipeline (admission, decoding, registry, linker, challenges, amplification guard) under random and
/// mutated datagrams from random sources, with time passing: nothing throws, nothing is logged as a failure, the
/// server keeps running, and honest requests interleaved with the garbage keep being answered. Fixed seeds, so CI
/// sees the same inputs every run; any failure found here becomes a regression test.
/// </summary>
public sealed class RendezvousServerFuzzTests(ITestOutputHelper output)
{
    private const int Iterations = 4_000;
    private const int ProbeEvery = 200;
    private static readonly IPEndPoint HonestHost = EndPoint("203.0.113.5:40000");
    private static readonly IPEndPoint HonestJoiner = EndPoint("203.0.113.6:50000");
    private static readonly byte[] Key = RoomSecret.DeriveKey("secret", "locked");

    /// <summary>Valid requests to mutate, including every extension key and both local-address spellings.</summary>
    private static readonly byte[][] Corpus =
    [
        Utf8(GodotDatagrams.RegisteringServer),
        Utf8(Register("room")),
        Utf8(Register("locked")[..^1] + $$""","room-verifier":"{{RoomSecret.ToVerifier(Key)}}"}"""),
        Utf8(Join("joiner", "room")),
        Utf8(Join("joiner", "locked")),
        Utf8(Join("joiner", "locked")[..^1] + ""","challenge":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","challenge-response":"AAAA"}"""),
        Utf8("""{"sender":"room","intended-recipient":"","type":"registering-server","local-ip":"192.168.1.20","local-port":4000.0,"seconds-before-expiry":60.0}"""),
        Utf8("""{"type":"requesting-to-join-server","local-ip":"::1","local-port":1,"server-name":"room","sender":"j"}"""),
        Utf8("""{"type":"registering-server","local-address":["10.0.0.1",1],"seconds-before-expiry":0,"sender":""}"""),
        Utf8(GodotDatagrams.LocalGlobalInquiry),
        Utf8(GodotDatagrams.ReliablePeerMessage),
        Utf8("""{"type":"server-error","message":"x","intended-recipient":"y","challenge":"z"}"""),
    ];

    private static readonly IPEndPoint[] ServerAddresses =
    [
        ServerEndPoint, EndPoint("192.0.2.2:5160"), new(IPAddress.Any, 5160), new(IPAddress.IPv6Any, 5160), EndPoint("[2001:db8::1]:5160"),
        new(IPAddress.Parse("192.0.2.1").MapToIPv6(), 5160),
    ];

    /// <summary>Sources: many IPv4 addresses, IPv6, IPv4-mapped IPv6, port 0 and 65535 (never the honest peers' addresses).</summary>
    private static readonly Gen<IPEndPoint> Sources = Gen.Frequency(
        (8, Gen.Select(Gen.Byte, Gen.Byte, Gen.Int[0, 65535], (a, b, port) => new IPEndPoint(new IPAddress([10, 0, a, b]), port))),
        (1, Gen.Byte.Array[16].Select(bytes => new IPEndPoint(new IPAddress(bytes), 4000))),
        (1, Gen.Byte.Select(b => new IPEndPoint(new IPAddress([10, 1, 0, b]).MapToIPv6(), 4000))));

    private static readonly Gen<byte[]> Payloads = Gen.Frequency(
        (2, Gen.Byte.Array[0, 200]),
        (1, Gen.Frequency((1, Gen.Byte), (2, Gen.OneOf(DatagramMutator.InterestingBytes))).Array[0, 120]),
        (6, Gen.Select(Gen.Int[0, Corpus.Length - 1], DatagramMutator.Mutations(4), (i, m) => DatagramMutator.Mutate(Corpus[i], m))),
        (2, Gen.Int[0, Corpus.Length - 1].Select(i => Corpus[i])),
        (1, Gen.Int[2_000, 3_000].Select(n => Encoding.UTF8.GetBytes(new string('[', n)))));

    /// <summary>One step: a datagram from a source to one of the server's addresses, then some time (usually none).</summary>
    private static readonly Gen<(IPEndPoint Source, IPEndPoint At, byte[] Payload, int Millis)> Steps = Gen.Select(
        Sources, Gen.Int[0, ServerAddresses.Length - 1].Select(i => ServerAddresses[i]), Payloads,
        Gen.Frequency((8, Gen.Const(0)), (2, Gen.Int[1, 2_000]), (1, Gen.Int[10_000, 120_000])));

    [Fact]
    public void RandomAndMutatedDatagrams_ServerNeverFails_AndKeepsAnsweringHonestPeers()
    {
        var logger = new RecordingLogger();
        using var harness = new RendezvousServerHarness(logger: logger);
        var step = 0;
        var probes = 0;

        FixedSeed.Check(Steps, s =>
        {
            harness.Receive(s.Payload, s.Source, s.At);
            harness.Run();
            if (s.Millis > 0)
            {
                harness.Scheduler.AdvanceBy(TimeSpan.FromMilliseconds(s.Millis));
            }

            Assert.Empty(logger.Errors);
            Assert.False(harness.Server.Completion.IsCompleted, "The server stopped.");
            if (++step % ProbeEvery == 0)
            {
                Probe(harness, $"honest{probes++}");
            }
        }, seed: 20_250_707, Iterations, Describe);

        output.WriteLine($"{probes} honest probes answered; {harness.Server.Counters}");
        foreach (var reason in Enum.GetValues<RendezvousDropReason>())
        {
            output.WriteLine($"  dropped {reason}: {harness.Server.Counters.Dropped(reason)}");
        }

        Assert.Equal(Iterations / ProbeEvery, probes);
    }

    [Fact]
    public void ManyDatagramsBetweenTicks_OnlyMutatedRequests_ServerNeverFails()
    {
        var logger = new RecordingLogger();
        using var harness = new RendezvousServerHarness(o => o.SourceTokenLimit = 1_000_000, logger: logger);
        var gen = Gen.Select(Gen.Int[0, Corpus.Length - 1], DatagramMutator.Mutations(2), Sources, (i, m, source) => (DatagramMutator.Mutate(Corpus[i], m), source));

        FixedSeed.Check(gen, d => harness.Receive(d.Item1, d.source), seed: 99, Iterations, d => Describe((d.source, ServerEndPoint, d.Item1, 0)));
        harness.Run();

        Assert.Empty(logger.Errors);
        Probe(harness, "after");
        Assert.Equal(Iterations + 2, harness.Server.Counters.DatagramsReceived);
    }

    /// <summary>An honest host registers a fresh room and an honest joiner joins it: both must be answered.</summary>
    private static void Probe(RendezvousServerHarness harness, string room)
    {
        harness.TakeSent();
        harness.Handle(Register(room), HonestHost);
        Assert.Equal(Confirmation(room), Assert.Single(harness.TakeSent()).Json);

        harness.Handle(Join("joiner", room), HonestJoiner);
        var sent = harness.TakeSent();
        Assert.Equal(2, sent.Length);
        Assert.Contains(sent, d => d.To.Equals(HonestHost) && d.Json.Contains("\"peer-name\":\"joiner\"", StringComparison.Ordinal));
        Assert.Contains(sent, d => d.To.Equals(HonestJoiner) && d.Json.Contains($"\"peer-name\":\"{room}\"", StringComparison.Ordinal));
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string Describe((IPEndPoint Source, IPEndPoint At, byte[] Payload, int Millis) s) =>
        $"from {s.Source} at {s.At} then +{s.Millis} ms: {Convert.ToHexString(s.Payload)} ({Encoding.UTF8.GetString(s.Payload)})";
}
