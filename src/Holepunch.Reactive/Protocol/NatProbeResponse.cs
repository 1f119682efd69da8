using System.Net;

namespace Holepunch.Reactive.Protocol;

/// <summary><c>nat-probe-response</c> (extension): the answer to a <see cref="NatProbe"/>.</summary>
/// <param name="IntendedRecipient">The probing peer.</param>
/// <param name="ProbeId">The probe's id.</param>
/// <param name="ObservedAddress">The probe's source address as the server saw it: the prober's public mapping towards that port.</param>
public sealed record NatProbeResponse(string IntendedRecipient, long ProbeId, IPEndPoint ObservedAddress) : HolepunchMessage(IntendedRecipient)
{
    /// <inheritdoc/>
    public override MessageKind Kind => MessageKind.NatProbeResponse;
}
