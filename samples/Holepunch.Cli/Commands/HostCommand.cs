using System.CommandLine;
using Holepunch.Cli.Peer;

namespace Holepunch.Cli.Commands;

/// <summary><c>holepunch host ROOM --server IP:PORT [--bind IP] [--port N] [--json]</c>: hosts a room and talks to whoever joins.</summary>
internal static class HostCommand
{
    public static Command Create()
    {
        var room = new Argument<string>("ROOM") { Description = "The room to host; also this peer's name" };
        var options = new PeerCommandOptions();
        var command = new Command(
            "host",
            "Host a room: register it with the rendezvous server, punch to every peer that joins, send each line of stdin "
            + "to every confirmed peer as a reliable message and print what arrives. Lines read before the first peer is "
            + "confirmed wait for it. At end of input, quits once every message is acknowledged or timed out (see --stay).")
        {
            room,
        };
        options.AddTo(command);
        command.SetAction(async (parseResult, _) =>
        {
            using var signals = new TerminationSignals();
            return await PeerRunner.RunAsync(
                PeerRole.Host(parseResult.GetValue(room)!),
                options.Read(parseResult),
                Console.In,
                Console.Out,
                Console.Error,
                signals.Token).ConfigureAwait(false);
        });
        return command;
    }
}
