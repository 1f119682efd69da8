using System.CommandLine;
using Holepunch.Cli.Commands;

// One file per command under Commands/: each builds its System.CommandLine Command and its action.
var root = new RootCommand("UDP hole punching for Godot Holepunch clients: a rendezvous server (host, join and demo to come).")
{
    ServerCommand.Create(),
    NetcheckCommand.Create(),
};

// Ctrl+C and SIGTERM belong to each command's Generic Host (its console lifetime stops the host cleanly), so
// System.CommandLine does not handle them itself.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
