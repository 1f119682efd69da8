using System.Text.Json;

namespace Holepunch.Reactive.Protocol;

/// <summary><c>unreliable-peer-message</c>: a user message, fire and forget.</summary>
/// <param name="Sender">The sending peer.</param>
/// <param name="IntendedRecipient">The receiving peer.</param>
/// <param name="Message">Any JSON value.</param>
public sealed record UnreliablePeerMessage(string Sender, string IntendedRecipient, JsonElement Message)
    : PeerOriginatedMessage(Sender, IntendedRecipient)
{
    /// <inheritdoc/>
    public override MessageKind Kind => MessageKind.UnreliablePeerMessage;
}
