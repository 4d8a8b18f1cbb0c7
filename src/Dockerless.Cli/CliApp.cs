using System.CommandLine;
using System.CommandLine.Invocation;
using Dockerless.Cli.Commands;

namespace Dockerless.Cli;

/// <summary>The root command, its verbs, and the mapping of outcomes to exit codes and one-line errors.</summary>
internal static class CliApp
{
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("Build, change, pull, push, save, load and run Docker/OCI images without a Docker daemon.");
        foreach (var option in GlobalOptions.All) root.Options.Add(option);
        Command[] verbs =
        [
            BuildCommand.Create(), CopyCommand.Create(), PullCommand.Create(), PushCommand.Create(),
            AppendCommand.Create(), MutateCommand.Create(), InspectCommand.Create(), DigestCommand.Create(),
            ManifestCommand.Create(), ConfigCommand.Create(), BlobCommand.Create(), LsCommand.Create(),
            CatalogCommand.Create(), TagCommand.Create(), DeleteCommand.Create(), ExportCommand.Create(),
            FlattenCommand.Create(), UnpackCommand.Create(), IndexCommand.Create(), LoginCommand.Create(), LogoutCommand.Create(), RunCommand.Create(),
            GcCommand.Create(), ClearCacheCommand.Create(), SbomCommand.Create(),
            ReferrersCommand.Create(), AttachCommand.Create(),
        ];
        foreach (var verb in verbs) root.Subcommands.Add(verb);
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var parse = CreateRootCommand().Parse(args);
        if (parse.Action is ParseErrorAction || (parse.Errors.Count > 0 && parse.Action is null))
        {
            // An unknown verb or flag says so alone, without the errors it causes downstream.
            var messages = parse.UnmatchedTokens.Count > 0
                ? $"unknown command, option or argument '{parse.UnmatchedTokens[0]}'"
                : string.Join("; ", parse.Errors.Select(e => LowerFirst(e.Message.TrimEnd('.'))).Distinct(StringComparer.Ordinal));
            var verb = parse.CommandResult.Command is RootCommand ? "" : parse.CommandResult.Command.Name + " ";
            await error.WriteLineAsync($"dockerless: {OneLine(messages)} (see 'dockerless {verb}--help')").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        // Signals are ours to handle (InterruptSignals), not System.CommandLine's, which would end
        // the process 2 s after the first even while a half-written output is being removed.
        var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null, Output = output, Error = error };
        using var signals = new InterruptSignals(cancellationToken);
        var timeout = parse.GetValue(GlobalOptions.Timeout);
        using var deadline = new CancellationTokenSource();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(signals.Token, deadline.Token);
        if (timeout is { } limit) deadline.CancelAfter(limit);
        try
        {
            return await parse.InvokeAsync(configuration, stop.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var verbose = parse.GetValue(GlobalOptions.Verbose);
            var failure = parse.CommandResult.Command.Name == "run" ? ExitCodes.RunFailure : ExitCodes.Failure;
            var (code, message) = e switch
            {
                UsageException => (ExitCodes.Usage, e.Message),
                Running.ContainerStartException start => (start.ExitCode, e.Message),
                OperationCanceledException when signals.Received is { } signal => signal,
                OperationCanceledException when cancellationToken.IsCancellationRequested => (ExitCodes.Interrupted, "interrupted"),
                OperationCanceledException when deadline.IsCancellationRequested => (failure, $"timed out: the command ran longer than --timeout {parse.GetResult(GlobalOptions.Timeout)?.Tokens[0].Value}"),
                DockerlessException or IOException or UnauthorizedAccessException or HttpRequestException
                    or FormatException or ArgumentException or InvalidOperationException => (failure, MessageOf(e)),
                _ => (failure, $"internal error: {e.GetType().Name}: {e.Message}"),
            };
            await error.WriteLineAsync($"dockerless: {OneLine(message)}").ConfigureAwait(false);
            if (verbose) await error.WriteLineAsync(e.ToString()).ConfigureAwait(false);
            return code;
        }
    }

    /// <summary>The exception's message, without the " (Parameter 'name')" that .NET appends to an ArgumentException's.</summary>
    public static string MessageOf(Exception e)
    {
        if (e is ArgumentException { ParamName: { } name })
        {
            var suffix = $" (Parameter '{name}')";
            if (e.Message.EndsWith(suffix, StringComparison.Ordinal)) return e.Message[..^suffix.Length];
        }
        return e.Message;
    }

    private static string LowerFirst(string text) => text.Length > 0 ? char.ToLowerInvariant(text[0]) + text[1..] : text;

    private static string OneLine(string message) => string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
}
