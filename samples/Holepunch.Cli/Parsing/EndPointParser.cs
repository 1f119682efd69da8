using System.CommandLine.Parsing;
using System.Net;

namespace Holepunch.Cli.Parsing;

/// <summary>Custom parsers for the address options, so that a bad value is a usage error rather than an exception.</summary>
internal static class EndPointParser
{
    /// <summary>Parses <c>IP:PORT</c> (IPv6 as <c>[::1]:5160</c>) with a port of 1..65535.</summary>
    public static IPEndPoint? ParseEndPoint(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (IPEndPoint.TryParse(text, out var endPoint) && endPoint.Port is > 0 and <= 65535 && HasExplicitPort(text))
        {
            return endPoint;
        }

        result.AddError($"{OptionName(result)} must be IP:PORT (for example 203.0.113.7:5160 or [2001:db8::1]:5160), not '{text}'.");
        return null;
    }

    /// <summary>Parses an IP address.</summary>
    public static IPAddress? ParseAddress(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (IPAddress.TryParse(text, out var address))
        {
            return address;
        }

        result.AddError($"{OptionName(result)} must be an IP address, not '{text}'.");
        return null;
    }

    // IPEndPoint.TryParse accepts a bare address (port 0) and reads "::1" as an address without a port.
    private static bool HasExplicitPort(string text) =>
        text.StartsWith('[') ? text.Contains("]:", StringComparison.Ordinal) : text.Count(static c => c == ':') == 1;

    private static string OptionName(ArgumentResult result) =>
        result.Parent is OptionResult option ? option.Option.Name : "The value";
}
