using System.Runtime.InteropServices;

namespace Holepunch.Reactive.Benchmarks.Load;

/// <summary>
/// Pins the calling thread to one CPU for a while (Linux, <c>sched_setaffinity</c>): a thread started meanwhile inherits
/// the pin, which is how the punch case gives each peer's receive thread a CPU of its own. So does any thread a pinned
/// thread starts later (a thread-pool worker added while a pinned receive thread queues work, say): after a pinned
/// trial, <see cref="UnpinAll"/> gives every thread of the process its CPUs back, or the cases after it would run
/// with pool threads stuck on one CPU.
/// </summary>
internal static partial class CpuAffinity
{
    /// <summary>The process's CPUs before anything was pinned.</summary>
    private static readonly ulong AllCpus = ProcessCpus();

    /// <summary>Whether threads can be pinned here: Linux with at least two CPUs.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() && Environment.ProcessorCount >= 2 && Environment.ProcessorCount <= 64;

    /// <summary>
    /// Pins the calling thread to <paramref name="cpu"/> until the returned scope is disposed (on the same thread); when
    /// <paramref name="pin"/> is false, does nothing.
    /// </summary>
    public static Scope Pin(int cpu, bool pin = true)
    {
        if (!pin)
        {
            return default;
        }

        ulong previous = 0;
        if (GetAffinity(0, sizeof(ulong), ref previous) != 0)
        {
            throw new InvalidOperationException($"sched_getaffinity failed ({Marshal.GetLastPInvokeError()}).");
        }

        ulong mask = 1UL << cpu;
        if (SetAffinity(0, sizeof(ulong), ref mask) != 0)
        {
            throw new InvalidOperationException($"sched_setaffinity failed ({Marshal.GetLastPInvokeError()}).");
        }

        return new Scope(previous);
    }

    /// <summary>Gives every thread of the process all of its CPUs again.</summary>
    public static void UnpinAll()
    {
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            if (int.TryParse(Path.GetFileName(task), System.Globalization.CultureInfo.InvariantCulture, out var thread))
            {
                ulong mask = AllCpus;

                // A thread that ended meanwhile fails (ESRCH): nothing to give back.
                _ = SetAffinity(thread, sizeof(ulong), ref mask);
            }
        }
    }

    private static ulong ProcessCpus()
    {
        ulong mask = 0;
        return OperatingSystem.IsLinux() && GetAffinity(0, sizeof(ulong), ref mask) == 0 ? mask : ulong.MaxValue >> (64 - Math.Min(64, Environment.ProcessorCount));
    }

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static partial int SetAffinity(int pid, nint size, ref ulong mask);

    [LibraryImport("libc", EntryPoint = "sched_getaffinity", SetLastError = true)]
    private static partial int GetAffinity(int pid, nint size, ref ulong mask);

    /// <summary>Restores the thread's CPUs (nothing for the scope of no pin).</summary>
    public readonly struct Scope(ulong previous) : IDisposable
    {
        public void Dispose()
        {
            if (previous == 0)
            {
                return;
            }

            ulong mask = previous;
            _ = SetAffinity(0, sizeof(ulong), ref mask);
        }
    }
}
