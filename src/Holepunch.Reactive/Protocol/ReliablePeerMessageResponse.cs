using System.Text.Json;

namespace Holepunch.Reactive.Protocol;

/// <summary><c>reliable-peer-message-response</c>: the receipt for one copy of a reliable message.</summary>
/// <param name="Sender">The peer that received the message.</param>
/// <param name="IntendedRecipient">The peer that sent it.</param>
/// <param name="MessageId">The acknowledged message's id.</param>
/// <param name="Message">The mirrored message, as the Godot client sends it; <see langword="null"/> when absent.</param>
public sealed record ReliablePeerMessageResponse(string Sender, string IntendedRecipient, long MessageId, JsonElement? Message)
    : PeerOriginatedMessage(Sender, IntendedRecipient)
{
    /// <inheritdoc/>
    public override MessageKind Kind => MessageKind.ReliablePeerMessageResponse;
}
