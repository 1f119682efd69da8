using System.Net;

namespace Holepunch.Reactive.Tests.Rendezvous;

/// <summary>One datagram the server sent through the <see cref="FakeDatagramTransport"/>.</summary>
internal sealed record SentDatagram(string Json, IPEndPoint To, IPAddress? From);
