using CsCheck;

namespace Holepunch.Reactive.Tests.Protocol;

/// <summary>Byte-level mutations of valid datagrams (replace, insert, delete, truncate) for the codec's property tests and the server's fuzzing.</summary>
internal static class DatagramMutator
{
    /// <summary>Bytes that matter to JSON and to UTF-8, drawn more often than chance would.</summary>
    public static readonly byte[] InterestingBytes =
        [.. "{}[]\":,\\ 0123456789.-+eEtrufalsn"u8, 0x00, 0x1F, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xED, 0xF0, 0xF4, 0xF8, 0xFF];

    /// <summary>One to <paramref name="max"/> mutations: (kind, position, byte).</summary>
    public static Gen<(int Kind, int Position, byte Value)[]> Mutations(int max) =>
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, int.MaxValue], Gen.Frequency((1, Gen.Byte), (2, Gen.OneOf(InterestingBytes)))).Array[1, max];

    public static byte[] Mutate(byte[] datagram, (int Kind, int Position, byte Value)[] mutations)
    {
        var bytes = datagram.ToList();
        foreach (var (kind, position, value) in mutations)
        {
            var at = bytes.Count == 0 ? 0 : position % bytes.Count;
            switch (kind)
            {
                case 0 when bytes.Count > 0:
                    bytes[at] = value;
                    break;
                case 1:
                    bytes.Insert(position % (bytes.Count + 1), value);
                    break;
                case 2 when bytes.Count > 0:
                    bytes.RemoveAt(at);
                    break;
                case 3:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }

        return [.. bytes];
    }
}
