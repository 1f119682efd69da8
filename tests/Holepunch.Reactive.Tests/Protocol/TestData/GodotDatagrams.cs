namespace Holepunch.Reactive.Tests.Protocol.TestData;

/// <summary>
/// Datagrams exactly as the deployed Godot client (3.2.3) sends them, observed on the wire (ports elided to 4001).
/// Godot writes compact JSON with its own keys first, then <c>type</c>, <c>sender</c>, <c>intended-recipient</c>.
/// </summary>
internal static class GodotDatagrams
{
    public const string RegisteringServer =
        """{"type":"registering-server","local-address":["127.0.0.1",4001],"seconds-before-expiry":60,"sender":"room","intended-recipient":""}""";

    public const string LocalGlobalInquiry =
        """{"used-global":true,"type":"local-global-inqury","sender":"room","intended-recipient":"joiner"}""";

    public const string ReliablePeerMessage =
        """{"message":"hello","message-id":0,"type":"reliable-peer-message","sender":"room","intended-recipient":"joiner"}""";

    public const string ReliablePeerMessageResponse =
        """{"message":"hello","message-id":0,"type":"reliable-peer-message-response","sender":"joiner","intended-recipient":"room"}""";
}
