using System.Net;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text.Json;
using Holepunch.Cli.Output;
using Holepunch.Reactive.Peers;
using Holepunch.Reactive.Rendezvous;
using Holepunch.Reactive.Transport;

namespace Holepunch.Cli.Demo;

/// <summary>
/// <c>holepunch demo</c>: a rendezvous server, a host and a joiner in one process on 127.0.0.1 (ephemeral ports).
/// Each step waits for its outcome; the whole demo is bounded by <see cref="Deadline"/>.
/// </summary>
internal static class DemoRunner
{
    public const string Room = "demo-room";
    public const string User = "alice";

    /// <summary>The demo fails when it has not finished by then.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private const int UnreliableAttempts = 5;
    private static readonly TimeSpan UnreliableWait = TimeSpan.FromMilliseconds(500);

    /// <summary>Runs the demo.</summary>
    /// <returns>0 when every step succeeded; 1 otherwise (the reason on <paramref name="errors"/>).</returns>
    public static async Task<int> RunAsync(TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Deadline);
        try
        {
            await RunStepsAsync(output, deadline.Token).ConfigureAwait(false);
            await output.WriteLineAsync("demo: done").ConfigureAwait(false);
            return 0;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            await errors.WriteLineAsync(cancellationToken.IsCancellationRequested
                ? "demo: interrupted"
                : $"demo: not done within {Deadline.TotalSeconds:0} s").ConfigureAwait(false);
            return 1;
        }
        catch (HolepunchException error)
        {
            await errors.WriteLineAsync($"demo: failed: {error.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    private static async Task RunStepsAsync(TextWriter output, CancellationToken token)
    {
        using var serverTransport = UdpDatagramTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var server = new RendezvousServer(serverTransport);
        server.Start();
        Say(output, $"rendezvous server listening on {server.LocalEndPoint}");

        var options = new HolepunchClientOptions
        {
            RendezvousEndPoint = server.LocalEndPoint,
            LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
        };

        var host = new HolepunchClient(options);
        await using (host.ConfigureAwait(false))
        {
            using var hostEvents = host.Events.Subscribe(new TextEventWriter(output, "[host]  ").Write);
            Say(output, $"host bound to {host.LocalEndPoint}; registering room '{Room}'");
            await host.HostAsync(Room, token).ConfigureAwait(false);

            var joiner = new HolepunchClient(options);
            await using (joiner.ConfigureAwait(false))
            {
                using var joinerEvents = joiner.Events.Subscribe(new TextEventWriter(output, $"[{User}] ").Write);
                var hostSeesJoiner = host.PeerConfirmations.FirstAsync(static c => c.Peer.Name == User).ToTask(token);
                Say(output, $"{User} bound to {joiner.LocalEndPoint}; joining '{Room}'");
                await joiner.JoinAsync(User, Room, token).ConfigureAwait(false);
                await hostSeesJoiner.ConfigureAwait(false);
                Say(output, "both sides punched through");

                await ReliableAsync(output, joiner, User, host, Room, $"hello from {User}", token).ConfigureAwait(false);
                await ReliableAsync(output, host, Room, joiner, User, "hello from the host", token).ConfigureAwait(false);
                await UnreliableAsync(output, joiner, User, host, Room, $"ping from {User}", token).ConfigureAwait(false);
                await UnreliableAsync(output, host, Room, joiner, User, "ping from the host", token).ConfigureAwait(false);

                foreach (var (name, client) in new[] { (Room, host), (User, joiner) })
                {
                    foreach (var peer in client.Peers.Items)
                    {
                        Say(output, $"{name} sees '{peer.Name}' at {peer.EndPoint} via its {(peer.Via == PeerAddressKind.Local ? "local" : "global")} address, round trip {TextEventWriter.Milliseconds(peer.RoundTripTime)}");
                    }
                }
            }
        }

        Say(output, $"server: {server.Counters.DatagramsReceived} datagrams in, {server.Counters.DatagramsSent} out");
    }

    private static async Task ReliableAsync(
        TextWriter output, HolepunchClient from, string fromName, HolepunchClient to, string toName, string text, CancellationToken token)
    {
        var arrived = to.ReliableMessages.FirstAsync(m => m.From == fromName).ToTask(token);
        var receipt = await from.SendReliableAsync(toName, Json(text), token).ConfigureAwait(false);
        await arrived.ConfigureAwait(false);
        Say(output, $"reliable {fromName} -> {toName}: acknowledged as #{receipt.MessageId}, round trip {TextEventWriter.Milliseconds(receipt.RoundTripTime)}");
    }

    private static async Task UnreliableAsync(
        TextWriter output, HolepunchClient from, string fromName, HolepunchClient to, string toName, string text, CancellationToken token)
    {
        var arrived = to.UnreliableMessages.FirstAsync(m => m.From == fromName).ToTask(token);
        // Nothing acknowledges an unreliable message: send again if it seems lost, a bounded number of times.
        for (var attempt = 1; attempt <= UnreliableAttempts; attempt++)
        {
            from.SendUnreliable(toName, Json(text));
            if (await Task.WhenAny(arrived, Task.Delay(UnreliableWait, token)).ConfigureAwait(false) == arrived)
            {
                await arrived.ConfigureAwait(false);
                Say(output, $"unreliable {fromName} -> {toName}: arrived (attempt {attempt})");
                return;
            }
        }

        throw new HolepunchException($"An unreliable message from {fromName} to {toName} never arrived in {UnreliableAttempts} attempts.");
    }

    private static JsonElement Json(string text) => JsonValues.FromString(text)!.Value;

    private static void Say(TextWriter output, string line)
    {
        output.WriteLine("demo: " + line);
        output.Flush();
    }
}
