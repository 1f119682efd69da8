using System.Threading.Channels;

namespace Holepunch.Cli.Peer;

/// <summary>
/// Reads standard input line by line on a background thread into a channel that completes at end of input. A
/// blocking console read cannot be cancelled, so nobody waits for the thread: the process may exit under it.
/// </summary>
internal static class InputLines
{
    /// <summary>Starts reading <paramref name="input"/>.</summary>
    /// <returns>The lines, in order; the reader completes at end of input (or faults if reading fails).</returns>
    public static ChannelReader<string> Start(TextReader input)
    {
        var channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var thread = new Thread(static state =>
        {
            var (reader, writer) = ((TextReader, ChannelWriter<string>))state!;
            try
            {
                // Bounded by the input itself: ends at end of input.
                while (reader.ReadLine() is { } line)
                {
                    writer.TryWrite(line);
                }

                writer.TryComplete();
            }
#pragma warning disable CA1031 // Any read failure ends the input; the reader sees it as a faulted channel.
            catch (Exception error)
#pragma warning restore CA1031
            {
                writer.TryComplete(error);
            }
        })
        {
            IsBackground = true,
            Name = "holepunch-stdin",
        };
        thread.Start((input, channel.Writer));
        return channel.Reader;
    }
}
