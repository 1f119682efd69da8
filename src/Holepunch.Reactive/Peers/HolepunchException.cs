namespace Holepunch.Reactive.Peers;

/// <summary>The base of every failure the holepunch client reports.</summary>
public class HolepunchException : Exception
{
    /// <summary>Creates the exception.</summary>
    public HolepunchException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    public HolepunchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public HolepunchException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
