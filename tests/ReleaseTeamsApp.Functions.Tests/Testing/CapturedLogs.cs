using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ReleaseTeamsApp.Functions.Tests.Testing;

/// <summary>One log line as the app wrote it: category, level and the rendered message.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Properties, Exception? Exception);

/// <summary>An ILoggerProvider that keeps every message, so tests can observe what ran (e.g. "Reminder sweep …").</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();

    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    public IReadOnlyList<CapturedLog> Containing(string text) => Entries.Where(e => e.Message.Contains(text, StringComparison.Ordinal)).ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<CapturedLog> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new CapturedLog(
                category,
                logLevel,
                formatter(state, exception),
                state is IEnumerable<KeyValuePair<string, object?>> properties ? properties.ToDictionary(p => p.Key, p => p.Value) : new Dictionary<string, object?>(),
                exception));
    }
}
