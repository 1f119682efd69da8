using Xunit.Abstractions;

namespace Holepunch.Reactive.IntegrationTests.NatLab;

/// <summary>
/// The base of the NAT lab's test classes: the labs a test builds are torn down after it, whatever happened, and
/// their processes' transcripts go to the test's output. Each scenario is its own class so that xunit runs them in
/// parallel (every lab is its own set of namespaces).
/// </summary>
public abstract class NatLabTest(ITestOutputHelper output) : IAsyncLifetime
{
    protected const string Room = "room";
    protected const string Joiner = "bob";
    protected const int HostPort = 4000;
    protected const int JoinPort = 4000;

    // Generous bounds for a loaded CI machine; each step normally takes a second or two.
    protected static readonly TimeSpan Startup = TimeSpan.FromSeconds(20);
    protected static readonly TimeSpan Punch = TimeSpan.FromSeconds(15);
    protected static readonly TimeSpan Delivery = TimeSpan.FromSeconds(10);
    protected static readonly TimeSpan Exit = TimeSpan.FromSeconds(15);

    private readonly List<NatLab> labs = [];

    protected ITestOutputHelper Output { get; } = output;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var lab in labs)
        {
            await lab.DisposeAsync();
        }
    }

    internal async Task<NatLab> CreateLabAsync(NatBehavior routerA, NatBehavior routerB)
    {
        var lab = await NatLab.CreateAsync(routerA, routerB, Output);
        labs.Add(lab);
        return lab;
    }
}
