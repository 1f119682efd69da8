namespace Holepunch.Reactive.Rendezvous;

/// <summary>The <c>relay-refused</c> texts and metric tags of <see cref="RelayRefusalReason"/>.</summary>
internal static class RelayRefusals
{
    public const string UnknownRelay = "unknown relay";
    public const string RelayExpired = "relay expired";
    public const string BandwidthExceeded = "relay bandwidth exceeded";
    public const string RelayFull = "relay full";

    private static readonly string[] Tags = ["", "unknown-relay", "relay-expired", "bandwidth-exceeded", "relay-full", "wrong-source"];

    /// <summary>The wire text of a refusal; a wrong source is told what it would be told for a token it does not hold.</summary>
    public static string TextOf(RelayRefusalReason reason) => reason switch
    {
        RelayRefusalReason.RelayExpired => RelayExpired,
        RelayRefusalReason.BandwidthExceeded => BandwidthExceeded,
        RelayRefusalReason.RelayFull => RelayFull,
        _ => UnknownRelay,
    };

    /// <summary>The metric tag of a reason.</summary>
    public static string TagOf(RelayRefusalReason reason) => Tags[(int)reason];
}
