using System.Text;
using System.Text.RegularExpressions;
using Holepunch.Reactive.Protocol;

namespace Holepunch.Reactive.Tests.Protocol;

/// <summary>Every example in docs/WIRE-EXTENSIONS.md is a datagram the codec decodes and writes again byte for byte.</summary>
public sealed partial class WireExtensionsDocTests
{
    public static TheoryData<string> Examples() => [.. ExampleTexts()];

    private static IEnumerable<string> ExampleTexts()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "WIRE-EXTENSIONS.md"));
        return JsonBlock().Matches(text).Select(match => match.Groups[1].Value.Trim());
    }

    [Fact]
    public void TheDocument_HasAnExampleOfEveryExtensionMessage()
    {
        var kinds = ExampleTexts().Select(example => MessageCodec.Decode(Encoding.UTF8.GetBytes(example)).Message?.Kind).ToHashSet();

        Assert.Superset(
            new HashSet<MessageKind?>
            {
                MessageKind.SealedPeerDatagram, MessageKind.PeerBatch, MessageKind.RelayDatagram, MessageKind.RelayRefused,
                MessageKind.NatProbe, MessageKind.NatProbeResponse,
            },
            kinds);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_DecodesAndEncodesToTheSameBytes(string example)
    {
        var datagram = Encoding.UTF8.GetBytes(example);

        var decoded = MessageCodec.Decode(datagram);

        Assert.True(decoded.IsSuccess, decoded.ToString());
        Assert.Equal(example, Encoding.UTF8.GetString(MessageCodec.EncodeToArray(decoded.Message)));
    }

    [GeneratedRegex("```json\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
