using Holepunch.Reactive.Peers.Events;

namespace Holepunch.Cli.Output;

/// <summary>Prints a client's events on standard output, one line each; safe to call from any thread.</summary>
internal interface IEventWriter
{
    /// <summary>Prints <paramref name="e"/>; events without a line of their own (such as <see cref="PacketReceived"/>) are skipped.</summary>
    void Write(HolepunchEvent e);
}
