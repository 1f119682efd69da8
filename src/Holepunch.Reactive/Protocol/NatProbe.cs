namespace Holepunch.Reactive.Protocol;

/// <summary>
/// <c>nat-probe</c> (extension): asks the server which public address it sees this datagram come from; answered by a
/// <see cref="NatProbeResponse"/> from the port the probe arrived at.
/// </summary>
/// <param name="Sender">The probing peer's name (any name; it addresses the response).</param>
/// <param name="ProbeId">The prober's id for this probe, echoed in the response.</param>
public sealed record NatProbe(string Sender, long ProbeId) : PeerOriginatedMessage(Sender, "")
{
    /// <inheritdoc/>
    public override MessageKind Kind => MessageKind.NatProbe;
}
