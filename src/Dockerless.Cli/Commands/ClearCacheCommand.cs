using System.CommandLine;
using Dockerless.Cli.Output;
using Dockerless.Running;

namespace Dockerless.Cli.Commands;

/// <summary><c>dockerless clear-cache [--cache-dir DIR]</c>: removes the layers runs unpacked, listing each entry on stdout.</summary>
internal static class ClearCacheCommand
{
    public static Command Create()
    {
        var cacheDir = new Option<string?>("--cache-dir") { Description = "The run cache to clear (default: ~/.cache/dockerless)", HelpName = "DIR" };
        var command = new Command("clear-cache", "Remove the layers `run` unpacked into its cache; the next run unpacks them again") { cacheDir };
        command.Handle(async (context, parse, cancellationToken) =>
        {
            var directory = RunCacheDirectory.Resolve(parse.GetValue(cacheDir));
            var removed = await RunCacheDirectory.ClearAsync(directory, cancellationToken);
            await DataOutput.WriteListAsync(context, removed);
            context.Status($"removed {removed.Count} entries from {directory}");
        });
        return command;
    }
}
