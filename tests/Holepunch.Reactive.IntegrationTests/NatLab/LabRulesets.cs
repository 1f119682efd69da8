using System.Net;

namespace Holepunch.Reactive.IntegrationTests.NatLab;

/// <summary>The nftables rulesets of the lab, each in a table named <c>lab</c> with named counters to read back.</summary>
internal static class LabRulesets
{
    /// <summary>The counter of unsolicited inbound packets a router dropped on its WAN side.</summary>
    public const string UnsolicitedCounter = "unsolicited";

    /// <summary>The counter of UDP frames one router's segment forwarded between two other stations (hosts or routers).</summary>
    public const string ForwardedUdpCounter = "forwarded_udp";

    /// <summary>
    /// A home router: masquerades the LAN onto <c>wan0</c>, and drops every new inbound connection on <c>wan0</c>.
    /// </summary>
    /// <remarks>
    /// The drop is what a real home router does, and it matters: without it, a peer's probe that reaches the router
    /// before the router's own host has sent to that peer creates a conntrack entry (for the router's own address)
    /// which then takes the port the host's mapping needs, and simultaneous punching fails. It runs at priority -150:
    /// after conntrack has classified the packet (-200), before any NAT (-100). A packet dropped there never
    /// confirms its conntrack entry.
    /// </remarks>
    public static string HomeRouter(NatBehavior behavior)
    {
        var masquerade = behavior switch
        {
            NatBehavior.Cone => "masquerade",
            NatBehavior.RandomPort => "masquerade random,fully-random",
            _ => throw new ArgumentOutOfRangeException(nameof(behavior), behavior, null),
        };
        return $$"""
            table ip lab {
              counter {{UnsolicitedCounter}} {
              }

              chain prerouting {
                type filter hook prerouting priority -150; policy accept;
                iifname "wan0" ct state new counter name "{{UnsolicitedCounter}}" drop
              }

              chain postrouting {
                type nat hook postrouting priority srcnat; policy accept;
                oifname "wan0" {{masquerade}}
              }
            }

            """;
    }

    /// <summary>
    /// Counts UDP frames a namespace's bridge forwards from one port to another between two addresses of
    /// <paramref name="network"/> (routers on the public segment, hosts on a LAN); traffic to the bridge's own
    /// address (the server, the router) is not forwarding and is not counted.
    /// </summary>
    public static string BridgeCounter(IPAddress network, int prefixLength) => $$"""
        table bridge lab {
          counter {{ForwardedUdpCounter}} {
          }

          chain forward {
            type filter hook forward priority 0; policy accept;
            ip saddr {{network}}/{{prefixLength}} ip daddr {{network}}/{{prefixLength}} meta l4proto udp counter name "{{ForwardedUdpCounter}}"
          }
        }

        """;
}
