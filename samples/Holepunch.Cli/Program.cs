using System.CommandLine;
using Holepunch.Cli.Commands;

// One file per command under Commands/: each builds its System.CommandLine Command and its action.
var root = new RootCommand("UDP hole punching for Godot Holepunch clients: a rendezvous server, a host, a joiner and a one-process demo.")
{
    ServerCommand.Create(),
    HostCommand.Create(),
    JoinCommand.Create(),
    DemoCommand.Create(),
    NetcheckCommand.Create(),
};

// Ctrl+C and SIGTERM belong to each command (the server's Generic Host console lifetime, TerminationSignals for
// the peers), so System.CommandLine does not handle them itself.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
