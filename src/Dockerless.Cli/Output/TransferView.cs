using System.Globalization;
using Spectre.Console;

namespace Dockerless.Cli.Output;

/// <summary>One report about one blob in flight: its id (a digest), bytes done and total bytes (0 when unknown).</summary>
internal readonly record struct TransferUpdate(string Id, long Done, long Total);

/// <summary>
/// Shows transfers: per-blob progress bars with bytes and speed on a terminal, one plain line per
/// finished blob when stderr is redirected, nothing with --quiet. Always on stderr, so that
/// stdout holds only data.
/// </summary>
internal abstract class TransferView
{
    public static TransferView For(CliContext context) =>
        context.Quiet ? new SilentView()
        : Console.IsErrorRedirected || !ReferenceEquals(context.Error, Console.Error) ? new PlainView(context.Error)
        : new BarsView();

    /// <summary>Runs <paramref name="operation"/>, showing what it reports.</summary>
    public abstract Task<T> RunAsync<T>(Func<IProgress<TransferUpdate>, Task<T>> operation);

    public async Task RunAsync(Func<IProgress<TransferUpdate>, Task> operation) =>
        await RunAsync<bool>(async progress =>
        {
            await operation(progress).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);

    internal static string ShortId(string id) => id.Length > 19 && id.StartsWith("sha256:", StringComparison.Ordinal) ? id[..19] : id;

    internal static string FormatBytes(long bytes)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1000 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }
        return unit == 0 ? $"{bytes} B" : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]}");
    }

    private sealed class SilentView : TransferView, IProgress<TransferUpdate>
    {
        public override Task<T> RunAsync<T>(Func<IProgress<TransferUpdate>, Task<T>> operation) => operation(this);

        public void Report(TransferUpdate value) { }
    }

    private sealed class PlainView(TextWriter error) : TransferView, IProgress<TransferUpdate>
    {
        private readonly HashSet<string> _finished = [];
        private readonly Lock _lock = new();

        public override Task<T> RunAsync<T>(Func<IProgress<TransferUpdate>, Task<T>> operation) => operation(this);

        public void Report(TransferUpdate value)
        {
            if (value.Total <= 0 || value.Done < value.Total) return;
            lock (_lock)
            {
                if (_finished.Add(value.Id)) error.WriteLine($"{ShortId(value.Id)}: {FormatBytes(value.Total)} done");
            }
        }
    }

    private sealed class BarsView : TransferView
    {
        public override Task<T> RunAsync<T>(Func<IProgress<TransferUpdate>, Task<T>> operation)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            return console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn())
                .StartAsync(context => operation(new Bars(context)));
        }

        private sealed class Bars(ProgressContext context) : IProgress<TransferUpdate>
        {
            private readonly Dictionary<string, ProgressTask> _tasks = new(StringComparer.Ordinal);
            private readonly Lock _lock = new();

            public void Report(TransferUpdate value)
            {
                lock (_lock)
                {
                    if (!_tasks.TryGetValue(value.Id, out var task))
                    {
                        task = context.AddTask(ShortId(value.Id), maxValue: Math.Max(value.Total, 1));
                        _tasks.Add(value.Id, task);
                    }
                    if (value.Total > 0) task.MaxValue = value.Total;
                    task.Value = value.Done;
                }
            }
        }
    }
}
