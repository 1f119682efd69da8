namespace Holepunch.Reactive.Peers;

/// <summary>The named peer is not a confirmed peer of this client.</summary>
public sealed class PeerNotConnectedException : HolepunchException
{
    /// <summary>Creates the exception.</summary>
    public PeerNotConnectedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    public PeerNotConnectedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public PeerNotConnectedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
