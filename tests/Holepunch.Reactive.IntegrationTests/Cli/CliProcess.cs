using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Threading.Channels;

namespace Holepunch.Reactive.IntegrationTests.Cli;

/// <summary>
/// The built <c>holepunch</c> tool run as a child process (<c>dotnet holepunch.dll ...</c>): its stdin to write to,
/// its stdout as lines to wait for, every wait bounded, and the process killed on dispose if still running.
/// </summary>
internal sealed class CliProcess : IAsyncDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private readonly Process _process;
    // One item per stdout line: the signal that Stdout grew.
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _stdout = [];
    private readonly StringBuilder _stderr = new();

    private CliProcess(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(DotnetHost)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = Utf8,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(DllPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _lines.Writer.TryComplete();
                return;
            }

            lock (_stdout)
            {
                _stdout.Add(e.Data);
            }

            _lines.Writer.TryWrite(e.Data);
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
            }
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The CLI's build output, recorded by the test project's build (see the .csproj).</summary>
    public static string DllPath { get; } = typeof(CliProcess).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(static a => a.Key == "HolepunchCliPath").Value!;

    /// <summary>The process's standard input.</summary>
    public StreamWriter Input => _process.StandardInput;

    /// <summary>Every line printed on stdout so far.</summary>
    public IReadOnlyList<string> Stdout
    {
        get
        {
            lock (_stdout)
            {
                return [.. _stdout];
            }
        }
    }

    /// <summary>What was printed on stderr so far.</summary>
    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    // The host that runs the tests (the SDK sets DOTNET_HOST_PATH), else dotnet on the PATH.
    private static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    public static CliProcess Start(params string[] arguments) => new(arguments);

    /// <summary>Writes one line to stdin.</summary>
    public async Task WriteLineAsync(string line)
    {
        await Input.WriteLineAsync(line);
        await Input.FlushAsync();
    }

    /// <summary>Sends a POSIX signal with kill(1) (Linux and macOS only), waiting for kill itself within <see cref="Wait"/>.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
        using var timeout = new CancellationTokenSource(Wait);
        await kill.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Closes stdin: end of input.</summary>
    public void CloseInput() => Input.Close();

    /// <summary>The first stdout line, printed so far or within <see cref="Wait"/>, that matches.</summary>
    /// <exception cref="Xunit.Sdk.XunitException">No such line came (the message shows stdout and stderr).</exception>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, string what)
    {
        using var timeout = new CancellationTokenSource(Wait);
        try
        {
            // Bounded by the timeout: each pass waits for one more line.
            while (true)
            {
                if (Stdout.FirstOrDefault(match) is { } line)
                {
                    return line;
                }

                if (!await _lines.Reader.WaitToReadAsync(timeout.Token))
                {
                    throw Failure($"No {what}: stdout ended.");
                }

                _lines.Reader.TryRead(out _);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw Failure($"No {what} within {Wait.TotalSeconds} s.");
        }
    }

    /// <summary>Waits for the process to exit (and its output to be read), within <see cref="Wait"/>.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(Wait);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw Failure($"The process did not exit within {Wait.TotalSeconds} s.");
        }

        return _process.ExitCode;
    }

    public Xunit.Sdk.XunitException Failure(string message) =>
        new($"{message}\n--- stdout ---\n{string.Join('\n', Stdout)}\n--- stderr ---\n{Stderr}");

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(new CancellationTokenSource(Wait).Token);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
        finally
        {
            _process.Dispose();
        }
    }
}

