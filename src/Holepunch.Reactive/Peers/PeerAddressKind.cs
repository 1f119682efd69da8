namespace Holepunch.Reactive.Peers;

/// <summary>Which of a peer's addresses the path to it uses.</summary>
public enum PeerAddressKind
{
    /// <summary>The address the peer reported on its own network: both peers sit behind one NAT (the LAN fallback).</summary>
    Local,
    /// <summary>The address the rendezvous server saw: the peer's NAT mapping on the internet.</summary>
    Global,
    /// <summary>Through the rendezvous server's relay: no direct path could be punched.</summary>
    Relay,
}
