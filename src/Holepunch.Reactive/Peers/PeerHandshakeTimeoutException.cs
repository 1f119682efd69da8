namespace Holepunch.Reactive.Peers;

/// <summary>No punch probe to the peer was answered within the retry policy: the NATs between us could not be traversed.</summary>
public sealed class PeerHandshakeTimeoutException : HolepunchException
{
    /// <summary>Creates the exception.</summary>
    public PeerHandshakeTimeoutException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    public PeerHandshakeTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public PeerHandshakeTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
