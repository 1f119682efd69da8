using System.ComponentModel;
using System.Diagnostics;

namespace Holepunch.Reactive.IntegrationTests.NatLab;

/// <summary>
/// Runs the lab's short setup commands (<c>ip</c>, <c>nft</c>, <c>ss</c>) with a bounded wait: a command that does
/// not finish in time is killed, and a failing one throws with its own error text.
/// </summary>
internal static class LabShell
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Runs a command and returns what it printed; a non-zero exit throws.</summary>
    /// <exception cref="InvalidOperationException">The command failed or could not start.</exception>
    /// <exception cref="TimeoutException">The command did not finish in time (it was killed).</exception>
    public static async Task<string> RunAsync(string file, IReadOnlyList<string> arguments, string? input = null, TimeSpan? timeout = null)
    {
        var result = await TryRunAsync(file, arguments, input, timeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{Describe(file, arguments)}` failed (exit code {result.ExitCode}): {result.Error.Trim()}");
        }

        return result.Output;
    }

    /// <summary>Runs a command and returns its exit code and output; a command that cannot start gives exit code -1.</summary>
    /// <exception cref="TimeoutException">The command did not finish in time (it was killed).</exception>
    public static async Task<CommandResult> TryRunAsync(string file, IReadOnlyList<string> arguments, string? input = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception error)
        {
            return new CommandResult(-1, "", $"{file}: {error.Message}");
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input.AsMemory(), deadline.Token);
                process.StandardInput.Close();
            }

            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{Describe(file, arguments)}` did not finish within {(timeout ?? DefaultTimeout).TotalSeconds} s.");
        }

        return new CommandResult(process.ExitCode, await output, await errors);
    }

    public static string Describe(string file, IEnumerable<string> arguments) => string.Join(' ', arguments.Prepend(file));
}
