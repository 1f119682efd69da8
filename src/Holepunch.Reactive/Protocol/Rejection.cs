namespace Holepunch.Reactive.Protocol;

/// <summary>Why a datagram was rejected, with what the codec could still tell about it.</summary>
/// <param name="Reason">The reason.</param>
/// <param name="Kind">The message kind named by <c>type</c>, when it was readable.</param>
/// <param name="Key">The offending key, for <see cref="RejectionReason.MissingField"/> and the value errors.</param>
/// <param name="Sender">The <c>sender</c>, when it was readable (a server uses it to address its error reply).</param>
public readonly record struct Rejection(RejectionReason Reason, MessageKind Kind = MessageKind.Unknown, string? Key = null, string? Sender = null)
{
    /// <inheritdoc/>
    public override string ToString() => Key is null ? Reason.ToString() : $"{Reason} ({Key})";
}
