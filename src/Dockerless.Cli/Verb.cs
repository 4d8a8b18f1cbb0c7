using System.CommandLine;

namespace Dockerless.Cli;

/// <summary>Wires a verb's body: a <see cref="CliContext"/> made from the parse, disposed afterwards.</summary>
internal static class Verb
{
    public static void Handle(this Command command, Func<CliContext, ParseResult, CancellationToken, Task<int>> body)
        => command.SetAction(async (parse, cancellationToken) =>
        {
            var context = CliContext.From(parse);
            await using (context.ConfigureAwait(false))
            {
                return await body(context, parse, cancellationToken).ConfigureAwait(false);
            }
        });

    /// <summary>A verb that moves images: its registry transfers show as progress bars (or lines, or nothing).</summary>
    public static void HandleTransfers(this Command command, Func<CliContext, ParseResult, CancellationToken, Task> body)
        => command.Handle((context, parse, cancellationToken) => context.ShowTransfersAsync(() => body(context, parse, cancellationToken)));

    /// <summary>A verb whose body has no exit code of its own (0 when it returns).</summary>
    public static void Handle(this Command command, Func<CliContext, ParseResult, CancellationToken, Task> body)
        => command.Handle(async (context, parse, cancellationToken) =>
        {
            await body(context, parse, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
}
