using System.Net;
using System.Text;
using Holepunch.Reactive.Transport;

namespace Holepunch.Reactive.Tests.Network;

/// <summary>Small helpers shared by the virtual network tests.</summary>
internal static class Net
{
    public static IPAddress Ip(string address) => IPAddress.Parse(address);

    public static IPEndPoint Ep(string address, int port) => new(IPAddress.Parse(address), port);

    public static bool SendText(this IDatagramTransport transport, string text, IPEndPoint to, IPAddress? from = null) =>
        transport.Send(Encoding.UTF8.GetBytes(text), to, from);
}
