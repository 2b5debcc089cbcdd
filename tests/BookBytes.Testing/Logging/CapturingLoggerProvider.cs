using System.Collections.Concurrent;
using FluentAssertions;
using Microsoft.Extensions.Logging;

namespace BookBytes.Testing.Logging;

/// <summary>Keeps every entry logged at Debug or above, with its category and exception.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    /// <summary>Gets the entries, in the order they were logged.</summary>
    public IReadOnlyCollection<LogEntry> Entries => _entries;

    /// <summary>Asserts that HttpClient's and Polly's own loggers wrote nothing above Debug: the adapters' one line per failure is enough.</summary>
    public void ShouldHaveQuietHttpAndPolly()
        => Entries
            .Where(e => e.Category.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal) || e.Category.StartsWith("Polly", StringComparison.Ordinal))
            .Should().OnlyContain(e => e.Level == LogLevel.Debug);

    /// <summary>A loopback port nothing listens on (taken and let go), for a connection that is refused.</summary>
    /// <returns>The port.</returns>
    public static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception), exception));
            }
        }
    }
}

/// <summary>One captured log entry.</summary>
/// <param name="Category">The logger's category.</param>
/// <param name="Level">The level.</param>
/// <param name="Message">The formatted message.</param>
/// <param name="Exception">The exception logged with it, if any.</param>
public sealed record LogEntry(string Category, LogLevel Level, string Message, Exception? Exception);
