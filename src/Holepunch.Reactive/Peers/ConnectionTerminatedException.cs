namespace Holepunch.Reactive.Peers;

/// <summary>The client terminated (server error, timeout, or disposal) while the operation was pending.</summary>
public sealed class ConnectionTerminatedException : HolepunchException
{
    /// <summary>Creates the exception.</summary>
    public ConnectionTerminatedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    public ConnectionTerminatedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public ConnectionTerminatedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
