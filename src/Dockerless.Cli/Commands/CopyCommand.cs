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
            await WritePlatformsAsync(context, await RegistryAccess.PullAllAsync(context, index, platforms, cancellationToken), destination, cancellationToken);
        }
        else if (platforms.Count != 1 && destination is RegistryLocation or OciLayoutLocation or OciArchiveLocation
            && await LoadPlatformsAsync(source, platforms, cancellationToken) is { } images)
        {
            // A multi-platform layout goes whole (or narrowed) to a registry or another layout.
            await WritePlatformsAsync(context, images, destination, cancellationToken);
        }
        else
        {
            if (platforms.Count > 1)
            {
                throw new UsageException($"copy to {destination}: one --platform at most (several platforms go only to a registry or an OCI layout, from a registry or an OCI layout that holds them)");
            }
            var image = await source.OpenAsync(context, platforms.Count == 1 ? platforms[0] : null, cancellationToken);
            await using (image)
            {
                await destination.WriteAsync(context, image, cancellationToken);
            }
        }
        context.Status($"copied {source} to {destination}");
    }

    /// <summary>Every platform an OCI layout or archive holds under its tag, or null when it is not several.</summary>
    private static async Task<IReadOnlyList<Image>?> LoadPlatformsAsync(ImageLocation source, IReadOnlyList<Platform> platforms, CancellationToken cancellationToken)
    {
        var (path, tag) = source switch
        {
            OciLayoutLocation layout => (layout.Path, layout.Tag),
            OciArchiveLocation archive => (archive.Path, archive.Tag),
            _ => (null, null),
        };
        if (path is null) return null;
        var images = await Image.LoadAsync(path, new ImageLoadOptions { AllPlatforms = true }, cancellationToken);
        return await ImageSelection.PickPlatformsAsync(images, source.Text, tag, platforms);
    }

    private static async Task WritePlatformsAsync(CliContext context, IReadOnlyList<Image> images, ImageLocation destination, CancellationToken cancellationToken)
    {
        try
        {
            if (destination is RegistryLocation registry)
            {
                var digest = await RegistryAccess.PushIndexAsync(context, registry, images, cancellationToken);
                context.Status($"pushed {registry.Reference}@{digest} ({images.Count} platforms)");
                return;
            }
            var (tag, write) = destination switch
            {
                OciLayoutLocation layout => (layout.Tag, (Func<Task>)(() => Image.WriteOciLayoutAsync(layout.Path, images, cancellationToken))),
                OciArchiveLocation archive => (archive.Tag, () => Image.WriteOciArchiveAsync(archive.Path, images, cancellationToken)),
                _ => throw new ArgumentException($"not a registry or OCI location: {destination}", nameof(destination)),
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
