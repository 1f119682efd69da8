using System.Net;

namespace Holepunch.Reactive.IntegrationTests.NatLab;

/// <summary>The nftables rulesets of the lab, each in a table named <c>lab</c> with named counters to read back.</summary>
internal static class LabRulesets
{
    /// <summary>The counter of unsolicited inbound packets a router dropped on its WAN side.</summary>
    public const string UnsolicitedCounter = "unsolicited";

    /// <summary>The counter of UDP packets a bridge forwarded from one of its ports to another (station to station).</summary>
    public const string ForwardedUdpCounter = "forwarded_udp";

    /// <summary>The counter of packets on the public segment whose source is not a public address.</summary>
    public const string NotTranslatedCounter = "not_translated";

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
    /// The public segment's bridge: counts the UDP packets it forwards from one router to the other (peer traffic;
    /// what reaches the server's own address is not forwarded), and every packet entering it with a source address
    /// outside the public network (a LAN address that escaped its NAT).
    /// </summary>
    public static string PublicSegment(IPAddress network, int prefixLength) => $$"""
        table bridge lab {
          counter {{ForwardedUdpCounter}} {
          }

          counter {{NotTranslatedCounter}} {
          }

          chain prerouting {
            type filter hook prerouting priority 0; policy accept;
            ether type ip ip saddr != {{network}}/{{prefixLength}} counter name "{{NotTranslatedCounter}}"
          }

          chain forward {
            type filter hook forward priority 0; policy accept;
            meta l4proto udp counter name "{{ForwardedUdpCounter}}"
          }
        }

        """;

    /// <summary>A LAN's bridge: counts the UDP packets it forwards from one host to another (not via the router).</summary>
    public static string Lan() => $$"""
        table bridge lab {
          counter {{ForwardedUdpCounter}} {
          }

          chain forward {
            type filter hook forward priority 0; policy accept;
            meta l4proto udp counter name "{{ForwardedUdpCounter}}"
          }
        }

        """;
}
