using Microsoft.Extensions.Logging;

namespace Dockerless.Cli.Output;

/// <summary>The -v logger: one line per entry on stderr. The library redacts secrets before logging.</summary>
internal sealed class ErrorWriterLogger(TextWriter error) : ILogger
{
    private readonly Lock _lock = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        var line = $"dockerless: {logLevel.ToString().ToLowerInvariant()}: {formatter(state, exception)}";
        lock (_lock) error.WriteLine(line);
    }
}
