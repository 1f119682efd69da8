namespace Holepunch.Reactive.Peers;

/// <summary>The rendezvous server did not answer a registration or join within the retry policy.</summary>
public sealed class RendezvousTimeoutException : HolepunchException
{
    /// <summary>Creates the exception.</summary>
    public RendezvousTimeoutException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    public RendezvousTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public RendezvousTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
