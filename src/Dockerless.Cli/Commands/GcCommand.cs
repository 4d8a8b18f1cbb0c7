using System.CommandLine;
using Dockerless.Cli.Output;

namespace Dockerless.Cli.Commands;

/// <summary>
/// <c>dockerless gc oci:DIR [--dry-run]</c>: removes the blobs no entry of the layout's
/// <c>index.json</c> reaches and dead writers' temporaries, listing each path on stdout.
/// </summary>
internal static class GcCommand
{
    public static Command Create()
    {
        var layout = new Argument<string>("LAYOUT") { Description = "The OCI layout directory, oci:DIR" };
        var dryRun = new Option<bool>("--dry-run") { Description = "List what would be removed; remove nothing" };
        var command = new Command("gc", "Remove the blobs an OCI layout's index no longer reaches, and dead writers' temporaries") { layout, dryRun };
        command.Handle(async (context, parse, cancellationToken) =>
        {
            var text = parse.GetRequiredValue(layout);
            if (CommonOptions.DestinationLocation(text) is not OciLayoutLocation location)
            {
                throw new UsageException($"gc: {text}: expected an OCI layout directory, oci:DIR");
            }
            var result = await location.CollectGarbageAsync(parse.GetValue(dryRun), cancellationToken);
            await DataOutput.WriteListAsync(context, result.Blobs.Concat(result.Temporaries).Select(r => r.Path));
            var verb = result.DryRun ? "would remove" : "removed";
            context.Status($"{verb} {result.Blobs.Count} blobs and {result.Temporaries.Count} temporaries ({result.FreedBytes} bytes); {result.KeptBlobs} blobs in use");
        });
        return command;
    }
}
