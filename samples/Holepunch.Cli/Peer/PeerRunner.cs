using System.Net.Sockets;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Threading.Channels;
using Holepunch.Cli.Output;
using Holepunch.Reactive.Peers;
using Holepunch.Reactive.Peers.Events;
using Microsoft.Extensions.Logging;

namespace Holepunch.Cli.Peer;

/// <summary>
/// Runs <c>holepunch host</c> and <c>holepunch join</c>: starts a <see cref="HolepunchClient"/>, prints its events,
/// sends every line of standard input as a reliable message (a JSON string) to every confirmed peer, and quits.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>What happens</term><description>What the command does</description></listheader>
/// <item><term>A line is read, no peer confirmed</term><description>The line (and every line after it) waits for the next confirmed peer: <c>echo hi | holepunch host room</c> sends "hi" to the first joiner.</description></item>
/// <item><term>A line is read, peers confirmed</term><description>Sent reliably to each of them.</description></item>
/// <item><term>End of input</term><description>Waits for the lines still waiting for a peer, then until every reliable message is acknowledged or timed out, then (after <c>--linger</c>, or never with <c>--stay</c>) quits with 0.</description></item>
/// <item><term>Server error, no answer, host unreachable, connection lost</term><description>Exit code 1 (the events say why).</description></item>
/// <item><term>Ctrl+C or SIGTERM</term><description>Closes the client at once; exit code 0.</description></item>
/// </list>
/// </remarks>
internal static class PeerRunner
{
    public const int Success = 0;
    public const int Failure = 1;

    /// <summary>Runs the peer until it quits.</summary>
    /// <param name="role">Host or join, and the names.</param>
    /// <param name="settings">The command line.</param>
    /// <param name="input">The lines to send (standard input).</param>
    /// <param name="output">Where events are printed (standard output).</param>
    /// <param name="errors">Where problems are reported (standard error).</param>
    /// <param name="cancellationToken">Ctrl+C or SIGTERM.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(
        PeerRole role,
        PeerSettings settings,
        TextReader input,
        TextWriter output,
        TextWriter errors,
        CancellationToken cancellationToken)
    {
        using var loggerFactory = CreateLoggerFactory(settings.Verbose);
        HolepunchClient client;
        try
        {
            client = new HolepunchClient(settings.ToClientOptions(loggerFactory));
        }
        catch (SocketException error)
        {
            await errors.WriteLineAsync($"Cannot bind {settings.Bind}:{settings.Port}: {error.Message}").ConfigureAwait(false);
            return Failure;
        }
        catch (ArgumentException error)
        {
            await errors.WriteLineAsync(error.Message).ConfigureAwait(false);
            return Failure;
        }

        using var session = new Session(client, settings.Json ? new JsonEventWriter(output) : new TextEventWriter(output), errors, cancellationToken);
        await using (client.ConfigureAwait(false))
        {
            using var events = client.Events.Subscribe(session.OnEvent);
            using var interrupt = cancellationToken.UnsafeRegister(static s => ((Session)s!).Interrupt(), session);
            var code = await session.RunAsync(role, settings, input, cancellationToken).ConfigureAwait(false);
            session.Quitting = true;
            await client.DisposeAsync().ConfigureAwait(false);
            return session.Lost is null ? code : Failure;
        }
    }

    private static ILoggerFactory CreateLoggerFactory(bool verbose) => LoggerFactory.Create(logging =>
    {
        // Standard output belongs to the events; every log line goes to standard error.
        logging.AddSimpleConsole(static options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "HH:mm:ss.fff ";
        });
        logging.AddConsole(static options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning);
    });

    /// <summary>The state one run shares between its flow and the client's event loop.</summary>
    private sealed class Session(HolepunchClient client, IEventWriter writer, TextWriter errors, CancellationToken interrupted) : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private volatile ConnectionTerminated? _lost;

        /// <summary>Set before the run closes the client, so that its own close is not taken for a lost connection.</summary>
        public volatile bool Quitting;

        /// <summary>The termination the run did not ask for, if any.</summary>
        public ConnectionTerminated? Lost => _lost;

        public void OnEvent(HolepunchEvent e)
        {
            writer.Write(e);
            // An interrupt may terminate the client before Interrupt has run (the client's own cancellation callback
            // can run first, and the client handles it on the spot): either way it is a quit, not a loss.
            if (e is ConnectionTerminated terminated && !Quitting && !interrupted.IsCancellationRequested)
            {
                _lost = terminated;
                // Off the client's loop: the run's continuations must not run on it.
                ThreadPool.UnsafeQueueUserWorkItem(static s => s.Stop(), this, preferLocal: false);
            }
        }

        /// <summary>Ctrl+C or SIGTERM: quit, and the termination that follows (even mid-start) is not a failure.</summary>
        public void Interrupt()
        {
            Quitting = true;
            Stop();
        }

        public void Stop()
        {
            try
            {
                _stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // A stop queued by the client's loop arrived after the run ended.
            }
        }

        public void Dispose() => _stop.Dispose();

        public async Task<int> RunAsync(PeerRole role, PeerSettings settings, TextReader input, CancellationToken interrupt)
        {
            try
            {
                if (role.IsHost)
                {
                    await client.HostAsync(role.Room, interrupt).ConfigureAwait(false);
                }
                else
                {
                    await client.JoinAsync(role.User!, role.Room, interrupt).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
            {
                return Success;
            }
            catch (HolepunchException)
            {
                // The events (server-error, terminated) already said why.
                return Failure;
            }

            try
            {
                await SendInputAsync(InputLines.Start(input), _stop.Token).ConfigureAwait(false);
                if (settings.Stay)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token).ConfigureAwait(false);
                }
                else if (settings.Linger > TimeSpan.Zero)
                {
                    await Task.Delay(settings.Linger, _stop.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // Ctrl+C, SIGTERM, or the connection ended (then Lost is set).
            }

            return Success;
        }

        private async Task SendInputAsync(ChannelReader<string> lines, CancellationToken stop)
        {
            var pending = new List<Task>();
            while (await lines.WaitToReadAsync(stop).ConfigureAwait(false))
            {
                while (lines.TryRead(out var line))
                {
                    if (JsonValues.FromString(line) is not { } message)
                    {
                        await errors.WriteLineAsync("Skipped a line that is not valid text.").ConfigureAwait(false);
                        continue;
                    }

                    await WaitForPeerAsync(stop).ConfigureAwait(false);
                    foreach (var peer in client.Peers.Items)
                    {
                        pending.Add(SettleAsync(client.SendReliableAsync(peer.Name, message, stop)));
                    }

                    // Keeps a long interactive session from holding every message ever sent.
                    pending.RemoveAll(static task => task.IsCompleted);
                }
            }

            // Each message is acknowledged or times out after PeerRetry's total timeout.
            await Task.WhenAll(pending).WaitAsync(stop).ConfigureAwait(false);
        }

        private async Task WaitForPeerAsync(CancellationToken stop)
        {
            if (client.Peers.Count > 0)
            {
                return;
            }

            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stop);
            // Subscribed before the second look, so that a confirmation in between is not missed.
            var confirmed = client.PeerConfirmations.FirstOrDefaultAsync().ToTask(waiting.Token);
            if (client.Peers.Count == 0)
            {
                await confirmed.WaitAsync(stop).ConfigureAwait(false);
            }

            await waiting.CancelAsync().ConfigureAwait(false);
        }

        private static async Task SettleAsync(Task<DeliveryReceipt> send)
        {
            try
            {
                await send.ConfigureAwait(false);
            }
            catch (HolepunchException)
            {
                // Printed as reliable-timeout (or the peer dropped, or the client closed): settled all the same.
            }
            catch (OperationCanceledException)
            {
                // Quitting.
            }
        }
    }
}
