namespace Holepunch.Reactive.Rendezvous;

/// <summary>What <see cref="RegistrationRegistry.Register"/> did with a registration.</summary>
internal enum RegistrationOutcome
{
    /// <summary>A new room was registered.</summary>
    Registered,
    /// <summary>The room's own host refreshed it: its lifetime starts again.</summary>
    Refreshed,
    /// <summary>The name is registered from another address: refused.</summary>
    NameTaken,
    /// <summary>The server holds its maximum of rooms: refused.</summary>
    Full,
    /// <summary>The source's IP address holds its maximum of rooms: refused.</summary>
    TooManyFromAddress,
    /// <summary>The <c>room-verifier</c> is not the base64 of a 32-byte key: refused.</summary>
    InvalidVerifier,
}
