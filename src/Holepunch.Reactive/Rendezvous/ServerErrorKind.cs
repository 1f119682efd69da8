namespace Holepunch.Reactive.Rendezvous;

/// <summary>The <c>server-error</c> replies of the rendezvous server, worded as the reference (Python) server words them.</summary>
internal enum ServerErrorKind
{
    /// <summary><c>missing info from packet data: KEY</c>: a request lacks a field, or the field is unusable.</summary>
    MissingInfo,
    /// <summary><c>NAME not found</c>: a join names a room that is not registered.</summary>
    NotFound,
    /// <summary><c>server already exists</c>: the room name is registered from another address.</summary>
    AlreadyExists,
    /// <summary><c>server full</c>: no room for another registration (our own limit; the reference has none).</summary>
    Full,
    /// <summary><c>too many servers from this address</c>: the address registers its maximum of rooms (our own limit).</summary>
    TooManyFromAddress,
    /// <summary><c>NAME requires a secret</c>, with a challenge: the room has a secret (extension, see <see cref="Protocol.RoomSecret"/>).</summary>
    SecretRequired,
    /// <summary><c>wrong secret for NAME</c>: a fresh challenge was answered with the wrong proof.</summary>
    WrongSecret,
}
