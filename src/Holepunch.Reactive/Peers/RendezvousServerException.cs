namespace Holepunch.Reactive.Peers;

/// <summary>The rendezvous server answered with <c>server-error</c> (for example an unknown room, or a name registered from another address).</summary>
public sealed class RendezvousServerException : HolepunchException
{
    /// <summary>Creates the exception.</summary>
    public RendezvousServerException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    public RendezvousServerException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public RendezvousServerException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
