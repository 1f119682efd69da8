using System.Text.Json;

namespace Holepunch.Reactive.Protocol;

/// <summary><c>reliable-peer-message</c>: a user message that is acknowledged and delivered once.</summary>
/// <param name="Sender">The sending peer.</param>
/// <param name="IntendedRecipient">The receiving peer.</param>
/// <param name="MessageId">The sender's counter for this message.</param>
/// <param name="Message">Any JSON value.</param>
public sealed record ReliablePeerMessage(string Sender, string IntendedRecipient, long MessageId, JsonElement Message)
    : PeerOriginatedMessage(Sender, IntendedRecipient)
{
    /// <inheritdoc/>
    public override MessageKind Kind => MessageKind.ReliablePeerMessage;
}
