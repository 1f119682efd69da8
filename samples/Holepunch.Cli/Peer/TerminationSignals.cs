using System.Runtime.InteropServices;

namespace Holepunch.Cli.Peer;

/// <summary>Turns Ctrl+C (SIGINT) and SIGTERM into a cancellation, so that a command can quit cleanly.</summary>
internal sealed class TerminationSignals : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;

    public TerminationSignals()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Cancelled at the first signal.</summary>
    public CancellationToken Token => _cancellation.Token;

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _cancellation.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        // The first signal lets the command quit on its own; a second one ends the process at once.
        if (!_cancellation.IsCancellationRequested)
        {
            context.Cancel = true;
            _cancellation.Cancel();
        }
    }
}
