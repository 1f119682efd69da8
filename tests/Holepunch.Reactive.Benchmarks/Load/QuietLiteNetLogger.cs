using LiteNetLib;

namespace Holepunch.Reactive.Benchmarks.Load;

/// <summary>Keeps LiteNetLib's console logging out of the table; counts what it would have printed.</summary>
internal sealed class QuietLiteNetLogger : INetLogger
{
    private static long s_messages;

    public static long Messages => Interlocked.Read(ref s_messages);

    public static void Install() => NetDebug.Logger = new QuietLiteNetLogger();

    public void WriteNet(NetLogLevel level, string str, params object[] args) => Interlocked.Increment(ref s_messages);
}
