using System.CommandLine;
using Dockerless.Cli.Output;
using Microsoft.Extensions.Logging;

namespace Dockerless.Cli;

/// <summary>
/// What one invocation knows: the global options, where output goes, the progress view and the
/// registry clients, closed when the verb ends.
/// </summary>
internal sealed class CliContext : IAsyncDisposable
{
    private readonly ProgressRelay _progress = new();
    private readonly List<string> _deferredStatus = [];

    private CliContext(ParseResult parse)
    {
        Parse = parse;
        Out = parse.InvocationConfiguration.Output;
        Error = parse.InvocationConfiguration.Error;
        Json = parse.GetValue(GlobalOptions.Json);
        Quiet = parse.GetValue(GlobalOptions.Quiet);
        Verbose = parse.GetValue(GlobalOptions.Verbose);
        Insecure = parse.GetValue(GlobalOptions.Insecure) ?? [];
        CertDir = parse.GetValue(GlobalOptions.CertDir);
        Jobs = parse.GetValue(GlobalOptions.Jobs);
        Logger = Verbose ? new ErrorWriterLogger(Error) : null;
        Transfers = TransferView.For(this);
        Registries = new RegistryPool(OptionsFor);
    }

    public ParseResult Parse { get; }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    public bool Json { get; }

    public bool Quiet { get; }

    public bool Verbose { get; }

    public IReadOnlyList<string> Insecure { get; }

    public string? CertDir { get; }

    public int Jobs { get; }

    /// <summary>The request logger, with -v only.</summary>
    public ILogger? Logger { get; }

    public TransferView Transfers { get; }

    public static CliContext From(ParseResult parse) => new(parse);

    /// <summary>One client per registry host for this invocation, kept until the end (lazy layers read through it).</summary>
    public RegistryPool Registries { get; }

    /// <summary>The client for <paramref name="host"/>; an address that is none is a usage error naming it.</summary>
    public Registry RegistryFor(string host)
    {
        try
        {
            return Registries.Get(host);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(CliApp.MessageOf(e));
        }
    }

    /// <summary>The options the global flags give a registry client: --insecure, --cert-dir, --jobs, -v; progress to the transfer view.</summary>
    public RegistryOptions OptionsFor(string host)
    {
        var insecure = Insecure.Contains(host, StringComparer.OrdinalIgnoreCase);
        return new RegistryOptions
        {
            Address = host,
            Insecure = insecure,
            SkipTlsVerify = insecure,
            CertificatesDirectory = CertDir,
            MaxParallelBlobs = Jobs,
            Logger = Logger,
            Progress = _progress,
        };
    }

    /// <summary>Runs <paramref name="operation"/> with its registry transfers shown by <see cref="Transfers"/>.</summary>
    public async Task ShowTransfersAsync(Func<Task> operation)
    {
        try
        {
            await Transfers.RunAsync(async view =>
            {
                _progress.Target = view;
                try
                {
                    await operation();
                }
                finally
                {
                    _progress.Target = null;
                }
            });
        }
        finally
        {
            lock (_deferredStatus)
            {
                foreach (var line in _deferredStatus) Error.WriteLine(line);
                _deferredStatus.Clear();
            }
        }
    }

    /// <summary>A status line on stderr (not with --quiet), so that stdout holds only data.</summary>
    public void Status(string line)
    {
        if (Quiet) return;
        lock (_deferredStatus)
        {
            // Lines written under live progress bars would land in the middle of them.
            if (_progress.Target is not null) _deferredStatus.Add(line);
            else Error.WriteLine(line);
        }
    }

    public ValueTask DisposeAsync() => Registries.DisposeAsync();

    /// <summary>Forwards the registries' progress to whichever view is showing transfers now.</summary>
    private sealed class ProgressRelay : IProgress<TransferProgress>
    {
        public volatile IProgress<TransferUpdate>? Target;

        public void Report(TransferProgress value) => Target?.Report(new TransferUpdate(value.Digest.ToString(), value.BytesTransferred, value.TotalBytes));
    }
}
