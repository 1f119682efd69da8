using System.Net;
using Holepunch.Reactive.Rendezvous;

namespace Holepunch.Cli.Server;

/// <summary>The <c>Rendezvous</c> configuration section: where to listen, and the server's limits.</summary>
internal sealed class ServerSettings
{
    public const string Section = "Rendezvous";
    public const string DefaultBind = "0.0.0.0";
    public const int DefaultPort = 5160;

    /// <summary>The local IP address to listen on.</summary>
    public string Bind { get; set; } = DefaultBind;

    /// <summary>The UDP port to listen on (0 for any free port).</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>
    /// A second UDP port on the same address that answers only NAT probes (<c>holepunch netcheck</c>), so clients can tell
    /// whether their NAT maps each destination anew; <see langword="null"/> for none.
    /// </summary>
    public int? DiagnosticsPort { get; set; }

    /// <summary>
    /// Extra networks whose addresses are passed on as LAN addresses (<c>Rendezvous:LanNetworks</c>, CIDR prefixes
    /// separated by commas, or repeated <c>--lan-network</c>); see <see cref="RendezvousServerOptions.LanNetworks"/>.
    /// </summary>
    public string? LanNetworks { get; set; }

    /// <summary>Whether <see cref="LanNetworks"/> parses.</summary>
    public bool HasValidLanNetworks => ParseLanNetworks() is not null;

    /// <summary>The server options: <see cref="Limits"/> with <see cref="LanNetworks"/> added.</summary>
    public RendezvousServerOptions ServerOptions()
    {
        foreach (var network in ParseLanNetworks() ?? [])
        {
            Limits.LanNetworks.Add(network);
        }

        return Limits;
    }

    private List<IPNetwork>? ParseLanNetworks()
    {
        var networks = new List<IPNetwork>();
        foreach (var text in (LanNetworks ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!IPNetwork.TryParse(text, out var network))
            {
                return null;
            }

            networks.Add(network);
        }

        return networks;
    }

    /// <summary>The server's limits (<c>Rendezvous:Limits:MaxRegistrations</c> and so on); unset values keep their defaults.</summary>
    public RendezvousServerOptions Limits { get; set; } = new();

    /// <summary>The endpoint to bind; call after validation.</summary>
    public IPEndPoint EndPoint => new(IPAddress.Parse(Bind), Port);

    public bool HasValidBind => IPAddress.TryParse(Bind, out _);

    public bool HasValidPort => Port is >= 0 and <= 65535;

    /// <summary>The diagnostics endpoint to bind, if any; call after validation.</summary>
    public IPEndPoint? DiagnosticsEndPoint => DiagnosticsPort is { } port ? new(IPAddress.Parse(Bind), port) : null;

    public bool HasValidDiagnosticsPort => DiagnosticsPort is null || (DiagnosticsPort is >= 1 and <= 65535 && DiagnosticsPort != Port);
}
