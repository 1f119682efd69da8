using System.Buffers;
using System.Net;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Holepunch.Reactive.Protocol;

namespace Holepunch.Reactive.Benchmarks.Micro;

/// <summary>
/// <see cref="MessageCodec"/> encode and decode of each message kind, with typical names, Godot-sized addresses and a
/// 64-byte user message: time and bytes allocated per operation.
/// </summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(1024);
    private HolepunchMessage _message = null!;
    private byte[] _datagram = [];

    /// <summary>The message kind under test.</summary>
    [ParamsSource(nameof(Kinds))]
    public MessageKind Kind { get; set; }

    /// <summary>Every kind of the protocol.</summary>
    public static IEnumerable<MessageKind> Kinds => Enum.GetValues<MessageKind>().Where(static k => k != MessageKind.Unknown);

    /// <summary>Builds the message and its datagram.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _message = Sample(Kind);
        _datagram = MessageCodec.EncodeToArray(_message);
    }

    /// <summary>Encodes into a reused buffer.</summary>
    [Benchmark]
    public int Encode()
    {
        _output.ResetWrittenCount();
        MessageCodec.Encode(_message, _output);
        return _output.WrittenCount;
    }

    /// <summary>Decodes the datagram.</summary>
    [Benchmark]
    public bool Decode() => MessageCodec.Decode(_datagram).IsSuccess;

    public static HolepunchMessage Sample(MessageKind kind)
    {
        var local = new IPEndPoint(IPAddress.Parse("192.168.1.20"), 4001);
        var global = new IPEndPoint(IPAddress.Parse("203.0.113.7"), 61_234);
        using var document = JsonDocument.Parse("\"" + new string('x', 62) + "\"");
        var payload = document.RootElement.Clone();
        return kind switch
        {
            MessageKind.RegisteringServer => new RegisteringServer("room", local, 60),
            MessageKind.RequestingToJoinServer => new RequestingToJoinServer("joiner", local, "room"),
            MessageKind.ConfirmingRegistration => new ConfirmingRegistration("room"),
            MessageKind.ProvidingPeerHandshakeInfo => new ProvidingPeerHandshakeInfo("joiner", "room", global, local),
            MessageKind.ServerError => new ServerError("joiner", "room not found"),
            MessageKind.LocalGlobalInquiry => new LocalGlobalInquiry("room", "joiner", UsedGlobal: true),
            MessageKind.LocalGlobalInquiryResponse => new LocalGlobalInquiryResponse("joiner", "room", UsedGlobal: true),
            MessageKind.PeerCheck => new PeerCheck("room", "joiner"),
            MessageKind.PeerCheckResponse => new PeerCheckResponse("joiner", "room"),
            MessageKind.UnreliablePeerMessage => new UnreliablePeerMessage("joiner", "room", payload),
            MessageKind.ReliablePeerMessage => new ReliablePeerMessage("joiner", "room", 42, payload),
            MessageKind.ReliablePeerMessageResponse => new ReliablePeerMessageResponse("room", "joiner", 42, payload),
            MessageKind.RelayDatagram => new RelayDatagram("joiner", "", "AAECAwQFBgcICQoLDA0ODw", JsonDocument.Parse("{\"type\":\"peer-check\",\"sender\":\"joiner\",\"intended-recipient\":\"room\"}").RootElement.Clone()),
            MessageKind.RelayRefused => new RelayRefused("joiner", "AAECAwQFBgcICQoLDA0ODw", "relay full"),
            MessageKind.NatProbe => new NatProbe("joiner", 7),
            MessageKind.NatProbeResponse => new NatProbeResponse("joiner", 7, global),
            MessageKind.SealedPeerDatagram => new SealedPeerDatagram("joiner", "room", 42, new string('A', 120)),
            MessageKind.PeerBatch => new PeerBatch("joiner", "room", [40, 41], [
                new ReliablePeerMessage("joiner", "room", 42, payload), new ReliablePeerMessage("joiner", "room", 43, payload),
                new UnreliablePeerMessage("joiner", "room", payload)]),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown message kind."),
        };
    }
}
