namespace Holepunch.Reactive.Protocol;

/// <summary>
/// The values of the <c>capabilities</c> and <c>protocol-version</c> extension keys (see
/// <see cref="RegisteringServer.Capabilities"/>). A peer that sends none is a reference (Godot) peer.
/// </summary>
public static class ProtocolCapabilities
{
    /// <summary><c>relay</c>: the peer can send and receive <see cref="RelayDatagram"/>s through the rendezvous server.</summary>
    public const string Relay = "relay";

    /// <summary><c>batch</c>: the peer accepts <see cref="PeerBatch"/>es (several messages and acknowledgements a datagram).</summary>
    public const string Batch = "batch";

    /// <summary>The <c>protocol-version</c> of the extensions this library implements.</summary>
    public const int Version = 1;
}
