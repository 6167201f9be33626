using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ReleaseTeamsApp.Tests.Testing;

/// <summary>A logger that keeps each rendered line with its level and exception, so a test can see what the app reported.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    public ConcurrentQueue<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = new();

    public IReadOnlyList<(LogLevel Level, string Message, Exception? Exception)> At(LogLevel level) => Entries.Where(e => e.Level == level).ToList();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, formatter(state, exception), exception));
}
