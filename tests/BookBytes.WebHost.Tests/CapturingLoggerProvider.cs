using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace BookBytes.WebHost.Tests;

/// <summary>Keeps every log entry the host writes at <see cref="LogLevel.Information"/> or above (or the level given), with its category.</summary>
internal sealed class CapturingLoggerProvider(LogLevel minimum = LogLevel.Information) : ILoggerProvider
{
    private readonly LogLevel _minimum = minimum;
    private readonly ConcurrentQueue<(string Category, LogLevel Level, string Message)> _entries = new();

    public IReadOnlyCollection<(LogLevel Level, string Message)> Entries => [.. _entries.Select(e => (e.Level, e.Message))];

    public IReadOnlyCollection<(string Category, LogLevel Level, string Message)> CategorizedEntries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= provider._minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider._entries.Enqueue((category, logLevel, formatter(state, exception) + (exception is null ? string.Empty : Environment.NewLine + exception)));
            }
        }
    }
}
