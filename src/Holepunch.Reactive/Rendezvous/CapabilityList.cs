using Holepunch.Reactive.Protocol;

namespace Holepunch.Reactive.Rendezvous;

/// <summary>
/// What the server keeps of a peer's announced <c>capabilities</c>, to echo to the other peer as <c>peer-capabilities</c>:
/// at most <see cref="MaxEntries"/> entries of at most <see cref="MaxLength"/> characters, in the order announced, so a
/// registration cannot make the server hold or repeat kilobytes of text.
/// </summary>
internal static class CapabilityList
{
    internal const int MaxEntries = 8;
    internal const int MaxLength = 32;

    /// <summary>The capabilities to keep; <see langword="null"/> when none were announced (a reference peer).</summary>
    public static IReadOnlyList<string>? Normalize(IReadOnlyList<string>? announced)
    {
        if (announced is null)
        {
            return null;
        }

        var fits = true;
        for (var i = 0; i < announced.Count && fits; i++)
        {
            fits = i < MaxEntries && announced[i].Length is > 0 and <= MaxLength;
        }

        if (fits)
        {
            return announced;
        }

        var kept = new List<string>(MaxEntries);
        for (var i = 0; i < announced.Count && kept.Count < MaxEntries; i++)
        {
            if (announced[i].Length is > 0 and <= MaxLength)
            {
                kept.Add(announced[i]);
            }
        }

        return kept;
    }

    /// <summary>Whether the list announces <see cref="ProtocolCapabilities.Relay"/>.</summary>
    public static bool HasRelay(IReadOnlyList<string>? capabilities)
    {
        if (capabilities is null)
        {
            return false;
        }

        for (var i = 0; i < capabilities.Count; i++)
        {
            if (string.Equals(capabilities[i], ProtocolCapabilities.Relay, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
