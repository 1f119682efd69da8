using System.Net;
using Holepunch.Reactive.Protocol;
using Holepunch.Reactive.Transport;

namespace Holepunch.Reactive.Tests.Peers;

/// <summary>
/// A scriptable rendezvous server for client tests: it confirms registrations and introduces joiners as the
/// reference server does, records every request, and can be told to go silent or to answer with an error.
/// The real <c>RendezvousServer</c> has its own tests; this one lets a client test control the server exactly.
/// </summary>
internal sealed class MiniRendezvous : IDisposable
{
    private readonly IDatagramTransport _socket;
    private readonly IDisposable _subscription;
    private readonly Dictionary<string, (IPEndPoint Global, IPEndPoint Local, bool Relay, string? Key, IReadOnlyList<string>? Capabilities)> _rooms = [];
    private readonly Dictionary<string, (string A, IPEndPoint AtA, string B, IPEndPoint AtB)> _relays = [];

    public MiniRendezvous(IDatagramTransport socket, Func<long> clock)
    {
        _socket = socket;
        _subscription = socket.Received.Subscribe(d =>
        {
            RawReceived.Add(System.Text.Encoding.UTF8.GetString(d.Payload.Span));
            var result = MessageCodec.Decode(d.Payload.Span);
            if (result.IsSuccess)
            {
                Received.Add((clock(), result.Message, d.RemoteEndPoint));
                Handle(result.Message, d.RemoteEndPoint);
            }
        });
    }

    public IPEndPoint EndPoint => _socket.LocalEndPoint;

    public bool Silent { get; set; }

    /// <summary>Whether to issue relay tokens to pairs that both announce relay support, and relay for them.</summary>
    public bool RelayEnabled { get; set; }

    public int RelayedDatagrams { get; private set; }

    /// <summary>Whether to pass each side's <c>peer-key</c> to the other, as the real server does (sealed peers).</summary>
    public bool EchoPeerKeys { get; set; } = true;

    /// <summary>Whether to pass each side's <c>capabilities</c> to the other as <c>peer-capabilities</c>, as the real server does.</summary>
    public bool EchoCapabilities { get; set; } = true;

    public string? ErrorReply { get; set; }

    public List<string> RawReceived { get; } = [];

    public List<(long Ticks, HolepunchMessage Message, IPEndPoint From)> Received { get; } = [];

    public IEnumerable<T> ReceivedOf<T>() => Received.Select(r => r.Message).OfType<T>();

    public void Send(HolepunchMessage message, IPEndPoint to) => _socket.Send(MessageCodec.EncodeToArray(message), to);

    public void Dispose()
    {
        _subscription.Dispose();
        _socket.Dispose();
    }

    private void Handle(HolepunchMessage message, IPEndPoint from)
    {
        if (Silent)
        {
            return;
        }

        if (ErrorReply is { } error && message is RegisteringServer or RequestingToJoinServer && message is PeerOriginatedMessage request)
        {
            Send(new ServerError(request.Sender, error), from);
            return;
        }

        switch (message)
        {
            case RegisteringServer registration:
                _rooms[registration.Sender] = (from, registration.LocalEndPoint, registration.Capabilities?.Contains("relay") == true, registration.PeerKey, registration.Capabilities);
                Send(new ConfirmingRegistration(registration.Sender), from);
                break;
            case RequestingToJoinServer join when _rooms.TryGetValue(join.ServerName, out var host):
                string? token = null;
                if (RelayEnabled && host.Relay && join.Capabilities?.Contains("relay") == true)
                {
                    // A re-sent join gets the pair's token again, so both sides hold the same one.
                    token = _relays.FirstOrDefault(r => r.Value == (join.ServerName, host.Global, join.Sender, from)).Key ?? $"token-{_relays.Count}";
                    _relays[token] = (join.ServerName, host.Global, join.Sender, from);
                }

                Send(new ProvidingPeerHandshakeInfo(join.ServerName, join.Sender, from, join.LocalEndPoint) { RelayToken = token, PeerKey = EchoPeerKeys ? join.PeerKey : null, PeerCapabilities = EchoCapabilities ? join.Capabilities : null }, host.Global);
                Send(new ProvidingPeerHandshakeInfo(join.Sender, join.ServerName, host.Global, host.Local) { RelayToken = token, PeerKey = EchoPeerKeys ? host.Key : null, PeerCapabilities = EchoCapabilities ? host.Capabilities : null }, from);
                break;
            case RelayDatagram relayed when _relays.TryGetValue(relayed.RelayToken, out var pair):
                var (to, recipient) = relayed.Sender == pair.A && from.Equals(pair.AtA) ? (pair.AtB, pair.B)
                    : relayed.Sender == pair.B && from.Equals(pair.AtB) ? (pair.AtA, pair.A) : (null, "");
                if (to is not null)
                {
                    RelayedDatagrams++;
                    Send(relayed with { IntendedRecipient = recipient }, to);
                }

                break;
            case RequestingToJoinServer join:
                Send(new ServerError(join.Sender, $"{join.ServerName} not found"), from);
                break;
        }
    }
}
