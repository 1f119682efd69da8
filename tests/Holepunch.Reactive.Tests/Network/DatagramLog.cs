using Holepunch.Reactive.Testing;
using Holepunch.Reactive.Transport;

namespace Holepunch.Reactive.Tests.Network;

/// <summary>Records what a transport receives, with the virtual time of each arrival.</summary>
internal sealed class DatagramLog : IDisposable
{
    private readonly IDisposable _subscription;

    public DatagramLog(IDatagramTransport transport, TestScheduler scheduler)
    {
        _subscription = transport.Received.Subscribe(
            d => Items.Add(new LoggedDatagram(scheduler.Clock, d.Payload.ToArray(), d.RemoteEndPoint, d.LocalEndPoint)),
            () => Completed = true);
    }

    public List<LoggedDatagram> Items { get; } = [];

    public bool Completed { get; private set; }

    public IEnumerable<string> Texts => Items.Select(i => i.Text);

    public void Dispose() => _subscription.Dispose();
}
