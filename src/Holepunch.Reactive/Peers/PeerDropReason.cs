namespace Holepunch.Reactive.Peers;

/// <summary>Why a confirmed peer left <see cref="HolepunchClient.Peers"/>.</summary>
public enum PeerDropReason
{
    /// <summary><see cref="HolepunchClient.DropPeer"/> was called.</summary>
    Requested,
    /// <summary>The peer stopped answering peer checks.</summary>
    CheckTimeout,
    /// <summary>The peer joined again from another address; the old path was replaced.</summary>
    Replaced,
    /// <summary>The client shut down.</summary>
    ClientClosed,
}
