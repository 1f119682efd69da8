using System.Net;
using Holepunch.Reactive.Protocol;

namespace Holepunch.Reactive.Rendezvous;

/// <summary>
/// A datagram that passed admission, decoded (the payload is gone: it was only valid on the receive thread):
/// a request to handle, or a request whose fields are unusable and which gets a <c>server-error</c>.
/// </summary>
/// <param name="Result">The decoded request, or its rejection.</param>
/// <param name="Source">Where it came from, and where replies go.</param>
/// <param name="ReplyFrom">The local address it arrived at, to reply from; <see langword="null"/> for a wildcard.</param>
/// <param name="Size">The datagram's size in bytes: what it earns towards the replies (see <see cref="AmplificationGuard"/>).</param>
/// <param name="AtDiagnostics">Whether it arrived at the diagnostics transport (answered from there; only NAT probes are admitted).</param>
internal readonly record struct InboundRequest(DecodeResult Result, IPEndPoint Source, IPAddress? ReplyFrom, int Size, bool AtDiagnostics = false)
{
    /// <summary>Whether this is a request (the default value stands for a dropped datagram).</summary>
    public bool IsAdmitted => Source is not null;
}
