using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Holepunch.Reactive.IntegrationTests.NatLab;

/// <summary>
/// A real <c>holepunch</c> process inside a lab namespace (<c>ip netns exec NS dotnet holepunch.dll …</c>): its
/// stdout JSON events, a transcript of everything it printed, its stdin, and bounded waits. Disposing kills it (and
/// anything it started) if it still runs.
/// </summary>
internal sealed class HolepunchProcess : IAsyncDisposable
{
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(5);

    private readonly Process process;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly object gate = new();
    private readonly List<CliEvent> events = [];
    private readonly StringBuilder transcript = new();
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool outputEnded;

    private HolepunchProcess(string label, Process process)
    {
        Label = label;
        this.process = process;
    }

    /// <summary>Who this is in messages and transcripts, e.g. <c>join bob @ hp-1-1-b1</c>.</summary>
    public string Label { get; }

    /// <summary>Everything printed so far, stdout and stderr interleaved, each line with its time.</summary>
    public string Transcript
    {
        get
        {
            lock (gate)
            {
                return transcript.ToString();
            }
        }
    }

    /// <summary>The JSON events printed so far.</summary>
    public IReadOnlyList<CliEvent> Events
    {
        get
        {
            lock (gate)
            {
                return [.. events];
            }
        }
    }

    /// <summary>Starts <c>holepunch ARGUMENTS</c> inside the namespace.</summary>
    public static HolepunchProcess Start(NetworkNamespace where, string label, IReadOnlyList<string> arguments)
    {
        HolepunchCli.EnsureBuilt();
        var info = new ProcessStartInfo("ip")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = Path.GetDirectoryName(HolepunchCli.DllPath)!,
        };
        // `ip netns exec` execs the command in place, so this process's id is the tool's.
        foreach (var argument in (string[])["netns", "exec", where.Name, HolepunchCli.DotnetPath, HolepunchCli.DllPath, .. arguments])
        {
            info.ArgumentList.Add(argument);
        }

        var started = new HolepunchProcess($"{label} @ {where.Name}", new Process { StartInfo = info });
        started.Run();
        return started;
    }

    /// <summary>Writes one line to the tool's stdin (the CLI sends it as a reliable message to its peers).</summary>
    public async Task SendLineAsync(string line)
    {
        Append("in ", line);
        await process.StandardInput.WriteLineAsync(line);
        await process.StandardInput.FlushAsync();
    }

    /// <summary>Closes stdin (end of input: the CLI waits for its acknowledgements, then exits).</summary>
    public void CloseInput()
    {
        Append("in ", "<EOF>");
        process.StandardInput.Close();
    }

    /// <summary>The first event called <paramref name="name"/> that also matches <paramref name="match"/>, printed so far or later.</summary>
    /// <exception cref="TimeoutException">None within <paramref name="timeout"/>, or the process ended without one.</exception>
    public async Task<CliEvent> WaitForEventAsync(string name, Func<CliEvent, bool>? match, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            Task next;
            lock (gate)
            {
                foreach (var candidate in events)
                {
                    if (candidate.Name == name && (match is null || match(candidate)))
                    {
                        return candidate;
                    }
                }

                if (outputEnded)
                {
                    throw new TimeoutException($"{Label} ended its output without a matching `{name}` event.\n{transcript}");
                }

                next = changed.Task;
            }

            try
            {
                await next.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{Label}: no matching `{name}` event within {timeout.TotalSeconds} s.\n{Transcript}");
            }
        }
    }

    /// <summary>Waits for the process to exit on its own and returns its exit code.</summary>
    /// <exception cref="TimeoutException">It still runs after <paramref name="timeout"/> (disposing kills it).</exception>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Label} did not exit within {timeout.TotalSeconds} s.\n{Transcript}");
        }

        Append("---", $"exit code {process.ExitCode}");
        return process.ExitCode;
    }

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => process.HasExited;

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                Append("---", "killed by the lab's teardown");
                process.Kill(entireProcessTree: true);
                using var deadline = new CancellationTokenSource(KillWait);
                await process.WaitForExitAsync(deadline.Token);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
        catch (OperationCanceledException)
        {
            // Killed but not reaped in time; deleting its namespace kills what is left.
        }
        finally
        {
            process.Dispose();
        }
    }

    private void Run()
    {
        process.OutputDataReceived += (_, line) => OnLine("out", line.Data);
        process.ErrorDataReceived += (_, line) => OnLine("err", line.Data);
        process.Start();
        Append("---", $"pid {process.Id.ToString(CultureInfo.InvariantCulture)}: {LabShell.Describe("ip", process.StartInfo.ArgumentList)}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private void OnLine(string stream, string? line)
    {
        TaskCompletionSource wake;
        lock (gate)
        {
            if (line is null)
            {
                if (stream == "out")
                {
                    outputEnded = true;
                }
            }
            else
            {
                AppendLocked(stream, line);
                if (stream == "out" && CliEvent.TryParse(line, clock.Elapsed) is { } parsed)
                {
                    events.Add(parsed);
                }
            }

            wake = changed;
            changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        wake.TrySetResult();
    }

    private void Append(string stream, string line)
    {
        lock (gate)
        {
            AppendLocked(stream, line);
        }
    }

    private void AppendLocked(string stream, string line) =>
        transcript.Append(CultureInfo.InvariantCulture, $"{clock.Elapsed.TotalSeconds,7:F3} {stream}| {line}\n");
}
