using System.CommandLine;
using Dockerless.Cli.Locations;

namespace Dockerless.Cli.Commands;

/// <summary><c>dockerless copy SRC DST [--platform os/arch[/variant]]...</c>: any location to any location.</summary>
internal static class CopyCommand
{
    public static Command Create()
    {
        var source = CommonOptions.Source();
        var destination = new Argument<string>("DST") { Description = "Where to write: REF, docker://REF, docker-archive:PATH[:REF], oci:PATH[:TAG], oci-archive:PATH[:TAG], docker-daemon:REF" };
        var platforms = ConfigFlags.Repeatable("--platform", "os/arch[/variant]", "Copy only this platform (repeatable); default: every platform into a registry or an OCI layout, the host's elsewhere");
        var command = new Command("copy", "Copy an image from any location to any location, keeping digests where the format allows") { source, destination, platforms };
        command.HandleTransfers((context, parse, cancellationToken) => CopyAsync(
            context,
            ImageLocation.ParseSource(parse.GetRequiredValue(source)),
            ImageLocation.ParseDestination(parse.GetRequiredValue(destination)),
            [.. (parse.GetValue(platforms) ?? []).Select(p => CommonOptions.ParsePlatform(p)!)],
            cancellationToken));
        return command;
    }

    /// <summary>The copy that pull and push share.</summary>
    public static async Task CopyAsync(CliContext context, ImageLocation source, ImageLocation destination, IReadOnlyList<Platform> platforms, CancellationToken cancellationToken)
    {
        if (source is RegistryLocation from && destination is RegistryLocation to)
        {
            // Registry to registry keeps the whole index (or the chosen platforms) and moves no blob through a file.
            await RegistryAccess.CopyAsync(context, from, to, platforms, cancellationToken);
        }
        else if (source is RegistryLocation index && destination is OciLayoutLocation or OciArchiveLocation && platforms.Count != 1)
        {
            // An OCI layout holds every platform of an index (or those asked for), one manifest each.
            await CopyPlatformsAsync(context, index, destination, platforms, cancellationToken);
        }
        else
        {
            if (platforms.Count > 1)
            {
                throw new UsageException($"copy to {destination}: one --platform at most (several platforms go only from a registry to a registry)");
            }
            var image = await source.OpenAsync(context, platforms.Count == 1 ? platforms[0] : null, cancellationToken);
            await using (image)
            {
                await destination.WriteAsync(context, image, cancellationToken);
            }
        }
        context.Status($"copied {source} to {destination}");
    }

    private static async Task CopyPlatformsAsync(CliContext context, RegistryLocation source, ImageLocation destination, IReadOnlyList<Platform> platforms, CancellationToken cancellationToken)
    {
        var images = await RegistryAccess.PullAllAsync(context, source, platforms, cancellationToken);
        try
        {
            var (tag, write) = destination switch
            {
                OciLayoutLocation layout => (layout.Tag, (Func<Task>)(() => Image.WriteOciLayoutAsync(layout.Path, images, cancellationToken))),
                OciArchiveLocation archive => (archive.Tag, () => Image.WriteOciArchiveAsync(archive.Path, images, cancellationToken)),
                _ => throw new ArgumentException($"not an OCI location: {destination}", nameof(destination)),
            };
            foreach (var image in images)
            {
                if (tag is not null) image.Tag = tag;
            }
            await write();
        }
        finally
        {
            foreach (var image in images) await image.DisposeAsync();
        }
    }
}
