namespace Holepunch.Reactive.Protocol;

/// <summary>Why a datagram was not accepted. Every rejection is counted by the pipeline that saw it.</summary>
public enum RejectionReason
{
    /// <summary>Larger than the configured maximum datagram size.</summary>
    Oversize = 1,
    /// <summary>Not valid UTF-8 JSON, truncated, or trailing bytes after the object.</summary>
    MalformedJson,
    /// <summary>Valid JSON, but not an object.</summary>
    NotAnObject,
    /// <summary>The object has no string <c>type</c>.</summary>
    MissingType,
    /// <summary>The <c>type</c> names no known message.</summary>
    UnknownType,
    /// <summary>A key the message needs is absent (<see cref="Rejection.Key"/> names it).</summary>
    MissingField,
    /// <summary>A key holds the wrong JSON type, or a number that is not a whole number.</summary>
    WrongType,
    /// <summary>An address is not <c>[ip-string, port]</c> with a parseable IP.</summary>
    InvalidAddress,
    /// <summary>A port outside 1..65535.</summary>
    PortOutOfRange,
    /// <summary>A number outside its allowed range (a negative expiry or message id).</summary>
    ValueOutOfRange,
    /// <summary>A well-formed message that the receiver does not accept from this source (pipeline rule, not codec).</summary>
    NotAccepted,
    /// <summary>An entry of a <see cref="PeerBatch"/> that a batch cannot carry (a batch in a batch, a sealed or relayed datagram, a probe).</summary>
    NotBatchable,
    /// <summary>An entry of a <see cref="PeerBatch"/> beyond its limit (<see cref="PeerBatch.MaxMessages"/>, <see cref="PeerBatch.MaxAcknowledgements"/>).</summary>
    TooManyEntries,
}
