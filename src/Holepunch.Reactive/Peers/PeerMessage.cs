using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Holepunch.Reactive.Peers;

/// <summary>A user message received from a peer.</summary>
/// <param name="From">The sending peer's name.</param>
/// <param name="Message">The message: any JSON value.</param>
/// <param name="IsReliable">Whether it came as a reliable (acknowledged, de-duplicated) message.</param>
/// <param name="MessageId">The sender's id for a reliable message; <see langword="null"/> for an unreliable one.</param>
public sealed record PeerMessage(string From, JsonElement Message, bool IsReliable, long? MessageId)
{
    /// <summary>Deserializes the message (trim- and AOT-safe through source-generated metadata).</summary>
    /// <typeparam name="T">The type to read.</typeparam>
    /// <param name="typeInfo">The metadata of <typeparamref name="T"/>, e.g. <c>MyContext.Default.Move</c>.</param>
    /// <returns>The value.</returns>
    /// <exception cref="JsonException">The message does not fit <typeparamref name="T"/>.</exception>
    public T? As<T>(JsonTypeInfo<T> typeInfo) => Message.Deserialize(typeInfo);
}
