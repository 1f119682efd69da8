namespace Holepunch.Reactive.Protocol;

/// <summary>
/// <c>relay-refused</c> (extension): the server did not forward a <see cref="RelayDatagram"/>. Not a
/// <see cref="ServerError"/>: the connection to the rendezvous server goes on.
/// </summary>
/// <param name="IntendedRecipient">The peer whose relay datagram was refused.</param>
/// <param name="RelayToken">The token the refused datagram carried.</param>
/// <param name="Message">
/// Why: <c>unknown relay</c>, <c>relay expired</c>, <c>relay bandwidth exceeded</c> or <c>relay full</c>.
/// </param>
public sealed record RelayRefused(string IntendedRecipient, string RelayToken, string Message) : HolepunchMessage(IntendedRecipient)
{
    /// <inheritdoc/>
    public override MessageKind Kind => MessageKind.RelayRefused;
}
