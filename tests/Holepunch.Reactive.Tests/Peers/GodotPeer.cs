using System.Net;
using System.Text;
using Holepunch.Reactive.Transport;

namespace Holepunch.Reactive.Tests.Peers;

/// <summary>Plays the deployed Godot client: sends exact datagram text and records the text that comes back.</summary>
internal sealed class GodotPeer : IDisposable
{
    private readonly IDatagramTransport _socket;
    private readonly IDisposable _subscription;

    public GodotPeer(IDatagramTransport socket)
    {
        _socket = socket;
        _subscription = socket.Received.Subscribe(d => Received.Add((Encoding.UTF8.GetString(d.Payload.Span), d.RemoteEndPoint)));
    }

    public IPEndPoint LocalEndPoint => _socket.LocalEndPoint;

    public List<(string Text, IPEndPoint From)> Received { get; } = [];

    public IEnumerable<string> ReceivedFrom(IPEndPoint from) => Received.Where(r => r.From.Equals(from)).Select(r => r.Text);

    public void Send(string json, IPEndPoint to) => _socket.Send(Encoding.UTF8.GetBytes(json), to);

    public void Dispose()
    {
        _subscription.Dispose();
        _socket.Dispose();
    }
}
