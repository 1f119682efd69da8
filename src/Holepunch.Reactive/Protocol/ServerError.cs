namespace Holepunch.Reactive.Protocol;

/// <summary><c>server-error</c>: the server refused a request.</summary>
/// <param name="IntendedRecipient">The peer the error is for.</param>
/// <param name="Message">The reason, as the reference server words it (for example <c>NAME not found</c>).</param>
public sealed record ServerError(string IntendedRecipient, string Message) : HolepunchMessage(IntendedRecipient)
{
    /// <inheritdoc/>
    public override MessageKind Kind => MessageKind.ServerError;

    /// <summary>
    /// Extension <c>challenge</c>: the room needs a secret, and a join that answers this challenge will be introduced
    /// (see <see cref="RoomSecret"/>); <see langword="null"/> for a plain error. Clients that do not know the
    /// extension (the Godot client) see a plain error.
    /// </summary>
    public string? Challenge { get; init; }
}
