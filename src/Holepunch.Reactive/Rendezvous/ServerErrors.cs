namespace Holepunch.Reactive.Rendezvous;

/// <summary>The texts and metric tags of <see cref="ServerErrorKind"/>.</summary>
internal static class ServerErrors
{
    public const string AlreadyExists = "server already exists";
    public const string Full = "server full";
    public const string TooManyFromAddress = "too many servers from this address";

    private const string MissingInfoPrefix = "missing info from packet data: ";
    private const string NotFoundSuffix = " not found";

    private static readonly string[] Tags =
        ["missing-info", "not-found", "already-exists", "full", "too-many-from-address", "secret-required", "wrong-secret"];

    /// <summary>The reply to a request that lacks <paramref name="key"/> or carries it unusable.</summary>
    public static string MissingInfo(string key) => MissingInfoPrefix + key;

    /// <summary>The reply to a join of <paramref name="serverName"/>, which is not registered.</summary>
    public static string NotFound(string serverName) => serverName + NotFoundSuffix;

    /// <summary>The reply to a plain join of a room with a secret (it carries a challenge).</summary>
    public static string SecretRequired(string serverName) => serverName + " requires a secret";

    /// <summary>The reply to a join that answered a fresh challenge with the wrong proof.</summary>
    public static string WrongSecret(string serverName) => "wrong secret for " + serverName;

    /// <summary>The metric tag of a kind.</summary>
    public static string TagOf(ServerErrorKind kind) => Tags[(int)kind];
}
