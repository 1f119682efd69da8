using System.CommandLine;
using Holepunch.Cli.Peer;

namespace Holepunch.Cli.Commands;

/// <summary><c>holepunch join USER ROOM --server IP:PORT [--bind IP] [--port N] [--json]</c>: joins a room and talks to its host.</summary>
internal static class JoinCommand
{
    public static Command Create()
    {
        var user = new Argument<string>("USER") { Description = "This peer's name" };
        var room = new Argument<string>("ROOM") { Description = "The room to join" };
        var options = new PeerCommandOptions();
        var command = new Command(
            "join",
            "Join a room: ask the rendezvous server for its host, punch to it, send each line of stdin to it as a reliable "
            + "message and print what arrives. At end of input, quits once every message is acknowledged or timed out.")
        {
            user,
            room,
        };
        options.AddTo(command);
        command.SetAction(async (parseResult, _) =>
        {
            using var signals = new TerminationSignals();
            return await PeerRunner.RunAsync(
                PeerRole.Join(parseResult.GetValue(user)!, parseResult.GetValue(room)!),
                options.Read(parseResult),
                Console.In,
                Console.Out,
                Console.Error,
                signals.Token).ConfigureAwait(false);
        });
        return command;
    }
}
