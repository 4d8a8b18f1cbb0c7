using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Dockerless.IntegrationTests.Fixtures;

/// <summary>Keeps every formatted log line, so tests can check what was (and was not) logged.</summary>
public sealed class CapturingLogger : ILogger
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        => _lines.Enqueue(formatter(state, exception) + (exception is null ? "" : " " + exception));
}
