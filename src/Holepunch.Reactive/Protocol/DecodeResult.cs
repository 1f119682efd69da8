using System.Diagnostics.CodeAnalysis;

namespace Holepunch.Reactive.Protocol;

/// <summary>The outcome of decoding one datagram: a message, or a rejection. Decoding never throws.</summary>
public readonly struct DecodeResult
{
    private DecodeResult(HolepunchMessage? message, Rejection rejection)
    {
        Message = message;
        Rejection = rejection;
    }

    /// <summary>The decoded message; <see langword="null"/> when rejected.</summary>
    public HolepunchMessage? Message { get; }

    /// <summary>Why the datagram was rejected; meaningless when <see cref="IsSuccess"/>.</summary>
    public Rejection Rejection { get; }

    /// <summary>Whether a message was decoded.</summary>
    [MemberNotNullWhen(true, nameof(Message))]
    public bool IsSuccess => Message is not null;

    /// <summary>A successful result.</summary>
    public static DecodeResult Success(HolepunchMessage message) => new(message ?? throw new ArgumentNullException(nameof(message)), default);

    /// <summary>A rejection.</summary>
    public static DecodeResult Rejected(Rejection rejection) => new(null, rejection);

    /// <inheritdoc/>
    public override string ToString() => IsSuccess ? Message.ToString() : $"Rejected: {Rejection}";
}
