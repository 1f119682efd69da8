using Microsoft.Extensions.Logging;

namespace Holepunch.Reactive.Tests.Rendezvous;

/// <summary>A logger that keeps every entry at <see cref="LogLevel.Error"/> or above, with its exception.</summary>
internal sealed class RecordingLogger : ILogger
{
    public List<(string Message, Exception? Exception)> Errors { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            lock (Errors)
            {
                Errors.Add((formatter(state, exception), exception));
            }
        }
    }
}
