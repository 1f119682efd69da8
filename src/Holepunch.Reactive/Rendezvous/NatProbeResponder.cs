using Holepunch.Reactive.Protocol;
using Microsoft.Extensions.Logging;

namespace Holepunch.Reactive.Rendezvous;

/// <summary>
/// Answers a <c>nat-probe</c> with the source address the server saw, from the transport (and local address) the probe
/// arrived at: the main one or the diagnostics one. The answer is paid like every reply (see <see cref="AmplificationGuard"/>),
/// and is never much larger than the probe. Used only on the server's scheduler.
/// </summary>
internal sealed class NatProbeResponder(ReplySender main, ReplySender? diagnostics, RendezvousMetrics metrics, ILogger logger)
{
    /// <summary>Answers one probe.</summary>
    public void Answer(NatProbe probe, InboundRequest request)
    {
        var replies = request.AtDiagnostics && diagnostics is not null ? diagnostics : main;
        if (replies.Reply(new NatProbeResponse(probe.Sender, probe.ProbeId, request.Source), request.Source, request.ReplyFrom))
        {
            metrics.NatProbeAnswered();
            RelayLog.NatProbe(logger, probe.ProbeId, request.Source);
        }
    }
}
