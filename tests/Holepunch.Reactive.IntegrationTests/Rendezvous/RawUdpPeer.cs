using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Holepunch.Reactive.IntegrationTests.Rendezvous;

/// <summary>A plain UDP socket that plays a Godot client: sends JSON text, receives raw bytes, every wait bounded.</summary>
internal sealed class RawUdpPeer : IDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private readonly UdpClient _socket;

    public RawUdpPeer(IPAddress? address = null)
    {
        _socket = new UdpClient(new IPEndPoint(address ?? IPAddress.Loopback, 0));
        LocalEndPoint = (IPEndPoint)_socket.Client.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    public int Port => LocalEndPoint.Port;

    public void Send(string json, IPEndPoint to) => _socket.Send(Encoding.UTF8.GetBytes(json), to);

    /// <summary>The next datagram, as its exact bytes, and where it came from.</summary>
    public async Task<(byte[] Payload, IPEndPoint From)> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(Wait);
        var result = await _socket.ReceiveAsync(timeout.Token);
        return (result.Buffer, result.RemoteEndPoint);
    }

    /// <summary>Asserts the next datagram is exactly <paramref name="json"/> (byte for byte) and returns its source.</summary>
    public async Task<IPEndPoint> ExpectAsync(string json)
    {
        var (payload, from) = await ReceiveAsync();
        Assert.Equal(json, Encoding.UTF8.GetString(payload));
        Assert.Equal(Encoding.UTF8.GetBytes(json), payload);
        return from;
    }

    /// <summary>Asserts nothing arrives within <paramref name="quiet"/>.</summary>
    public async Task ExpectNothingAsync(TimeSpan quiet)
    {
        using var timeout = new CancellationTokenSource(quiet);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await _socket.ReceiveAsync(timeout.Token));
    }

    public void Dispose() => _socket.Dispose();
}
