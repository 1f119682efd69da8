using System.Text.Json;
using Holepunch.Reactive.IntegrationTests.Rendezvous;

namespace Holepunch.Reactive.IntegrationTests.Cli;

/// <summary>The built <c>holepunch</c> tool, run as child processes against a server on 127.0.0.1.</summary>
public sealed class HolepunchCliTests
{
    [Fact]
    public async Task Demo_ExitsZeroAfterEveryStep()
    {
        await using var demo = CliProcess.Start("demo");

        Assert.Equal(0, await demo.WaitForExitAsync());

        var output = string.Join('\n', demo.Stdout);
        Assert.Contains("demo: both sides punched through", output, StringComparison.Ordinal);
        Assert.Contains("demo: reliable alice -> demo-room: acknowledged", output, StringComparison.Ordinal);
        Assert.Contains("demo: reliable demo-room -> alice: acknowledged", output, StringComparison.Ordinal);
        Assert.Contains("demo: unreliable alice -> demo-room: arrived", output, StringComparison.Ordinal);
        Assert.Contains("demo: unreliable demo-room -> alice: arrived", output, StringComparison.Ordinal);
        Assert.Contains("round trip", output, StringComparison.Ordinal);
        Assert.EndsWith("demo: done", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostAndJoin_Json_ExchangeStdinLines_AndEachExitsZeroAtEndOfInput()
    {
        using var server = new LoopbackRendezvousServer();
        var serverArgument = server.EndPoint.ToString();
        await using var host = CliProcess.Start("host", "room", "--server", serverArgument, "--bind", "127.0.0.1", "--json");
        // Written before anyone joined: it waits for the first peer.
        await host.WriteLineAsync("from the host");
        await host.WaitForLineAsync(static l => JsonEvent.Is(l, "registered", ("room", "room")), "registered event");

        await using var join = CliProcess.Start("join", "bob", "room", "--server", serverArgument, "--bind", "127.0.0.1", "--json");
        await join.WriteLineAsync("héllo \"host\"");

        await join.WaitForLineAsync(static l => JsonEvent.Is(l, "peer-confirmed", ("peer", "room"), ("via", "local")) || JsonEvent.Is(l, "peer-confirmed", ("peer", "room"), ("via", "global")), "peer-confirmed at the joiner");
        await host.WaitForLineAsync(static l => JsonEvent.Is(l, "peer-confirmed", ("peer", "bob")), "peer-confirmed at the host");
        await host.WaitForLineAsync(static l => JsonEvent.Is(l, "message", ("peer", "bob"), ("message", "héllo \"host\"")), "bob's message at the host");
        await join.WaitForLineAsync(static l => JsonEvent.Is(l, "message", ("peer", "room"), ("message", "from the host")), "the host's buffered line at the joiner");
        await join.WaitForLineAsync(static l => JsonEvent.Is(l, "delivered", ("peer", "room")), "delivered at the joiner");
        await host.WaitForLineAsync(static l => JsonEvent.Is(l, "delivered", ("peer", "bob")), "delivered at the host");

        join.CloseInput();
        Assert.Equal(0, await join.WaitForExitAsync());
        host.CloseInput();
        Assert.Equal(0, await host.WaitForExitAsync());

        // Nothing but event objects on stdout; the message event carries the exact shape.
        foreach (var line in host.Stdout.Concat(join.Stdout))
        {
            using var _ = JsonEvent.Parse(line);
        }

        var message = host.Stdout.Single(static l => JsonEvent.Is(l, "message"));
        Assert.Equal("""{"event":"message","peer":"bob","reliable":true,"message":"héllo \"host\""}""", message);
        var confirmed = join.Stdout.Single(static l => JsonEvent.Is(l, "peer-confirmed"));
        using var document = JsonDocument.Parse(confirmed);
        Assert.Equal(
            ["event", "peer", "address", "via"],
            document.RootElement.EnumerateObject().Select(static p => p.Name).ToArray());
        Assert.StartsWith("127.0.0.1:", document.RootElement.GetProperty("address").GetString(), StringComparison.Ordinal);
        Assert.Equal("""{"event":"delivered","peer":"room","id":0}""", join.Stdout.Single(static l => JsonEvent.Is(l, "delivered")));
        Assert.Equal("""{"event":"terminated","reason":"closed"}""", join.Stdout[^1]);
    }

    [LinuxFact]
    public async Task StayingHost_OutlivesItsInput_AndQuitsWithZeroOnSigterm()
    {
        using var server = new LoopbackRendezvousServer();
        var serverArgument = server.EndPoint.ToString();
        await using var host = CliProcess.Start("host", "room", "--server", serverArgument, "--bind", "127.0.0.1", "--json", "--stay");
        host.CloseInput();
        await host.WaitForLineAsync(static l => JsonEvent.Is(l, "registered"), "registered event");
        await using var join = CliProcess.Start("join", "bob", "room", "--server", serverArgument, "--bind", "127.0.0.1", "--json");
        await join.WriteLineAsync("still there?");
        join.CloseInput();

        Assert.Equal(0, await join.WaitForExitAsync());
        await host.WaitForLineAsync(static l => JsonEvent.Is(l, "message", ("peer", "bob"), ("message", "still there?")), "bob's message at the host");
        await host.SignalAsync("TERM");

        Assert.Equal(0, await host.WaitForExitAsync());
        Assert.Equal("""{"event":"terminated","reason":"closed"}""", host.Stdout[^1]);
    }

    [LinuxFact]
    public async Task JoinInterruptedWhileWaitingForTheServer_QuitsWithZero()
    {
        // Nobody answers at this port: the join is still waiting when Ctrl+C comes.
        using var silent = new RawUdpPeer();
        await using var join = CliProcess.Start("join", "bob", "room", "--server", silent.LocalEndPoint.ToString(), "--json");
        await silent.ReceiveAsync();

        await join.SignalAsync("INT");

        Assert.Equal(0, await join.WaitForExitAsync());
    }

    [Fact]
    public async Task JoinOfUnknownRoom_Json_PrintsTheServerErrorAndExitsNonZero()
    {
        using var server = new LoopbackRendezvousServer();
        await using var join = CliProcess.Start("join", "bob", "nowhere", "--server", server.EndPoint.ToString(), "--bind", "127.0.0.1", "--json");
        join.CloseInput();

        Assert.NotEqual(0, await join.WaitForExitAsync());

        Assert.Equal(
            [
                """{"event":"server-error","message":"nowhere not found"}""",
                """{"event":"terminated","reason":"server error: nowhere not found"}""",
            ],
            join.Stdout);
    }

    [Theory]
    [InlineData("host", "room", "--server", "127.0.0.1")]
    [InlineData("host", "room", "--server", "127.0.0.1:5160", "--port", "70000")]
    public async Task BadCommandLine_ExitsNonZeroWithAnError(params string[] arguments)
    {
        await using var cli = CliProcess.Start(arguments);
        cli.CloseInput();

        Assert.NotEqual(0, await cli.WaitForExitAsync());

        Assert.NotEmpty(cli.Stderr.Trim());
    }
}
