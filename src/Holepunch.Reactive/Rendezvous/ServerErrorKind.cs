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
}
