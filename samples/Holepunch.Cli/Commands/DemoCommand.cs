using System.CommandLine;
using Holepunch.Cli.Demo;
using Holepunch.Cli.Peer;

namespace Holepunch.Cli.Commands;

/// <summary><c>holepunch demo</c>: a rendezvous server, a host and a joiner in one process on loopback.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var command = new Command(
            "demo",
            "Run a rendezvous server, a host and a joiner in this process on 127.0.0.1: watch them link, punch, exchange "
            + $"reliable and unreliable messages both ways and measure round trips. Fails if not done in {DemoRunner.Deadline.TotalSeconds:0} s.");
        command.SetAction(async (_, _) =>
        {
            using var signals = new TerminationSignals();
            return await DemoRunner.RunAsync(Console.Out, Console.Error, signals.Token).ConfigureAwait(false);
        });
        return command;
    }
}
