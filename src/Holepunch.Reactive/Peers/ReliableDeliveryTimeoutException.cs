namespace Holepunch.Reactive.Peers;

/// <summary>A reliable message was not acknowledged within the retry policy. It may still have arrived.</summary>
public sealed class ReliableDeliveryTimeoutException : HolepunchException
{
    /// <summary>Creates the exception.</summary>
    public ReliableDeliveryTimeoutException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    public ReliableDeliveryTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public ReliableDeliveryTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
