using System.CommandLine;

namespace Dockerless.Cli.Commands;

/// <summary>
/// Applies a change (append's layers, mutate's edits) to an image, or with <c>--platform all|LIST</c>
/// to the chosen platforms of an index, writing a new index whose other images keep their manifests.
/// </summary>
internal static class PlatformEdit
{
    /// <summary>The <c>--platform</c> option of append and mutate.</summary>
    public static Option<string?> Option() => CommonOptions.Platform(
        "all, or platforms separated by commas: on an index, the ones to change, the others kept as they are, and an index written; without it, the image of linux and the host's architecture alone");

    /// <summary>Reads <paramref name="source"/>, applies <paramref name="edit"/> to what <paramref name="platforms"/> chooses, and writes the result to <paramref name="destination"/>.</summary>
    public static async Task RunAsync(CliContext context, ImageLocation source, ImageLocation destination, string? platforms, Func<Image, CancellationToken, Task> edit, CancellationToken cancellationToken)
    {
        var all = platforms == "all";
        var chosen = platforms is null || all ? [] : platforms.Split(',').Select(p => CommonOptions.ParsePlatform(p.Trim())!).ToList();
        if (platforms is not null && source.CanHoldIndex && await source.TryOpenIndexAsync(null, context.Registries, cancellationToken) is { } index)
        {
            await using (index)
            {
                await EditIndexAsync(context, source, destination, index, all, chosen, edit, cancellationToken);
            }
            return;
        }
        var image = await source.OpenImageAsync(chosen.Count == 1 ? chosen[0] : null, context.Registries, cancellationToken);
        await using (image)
        {
            if (chosen.FirstOrDefault(p => !p.Matches(image.Platform)) is { } missing) throw new PlatformNotFoundException(source.Text, missing, [image.Platform.ToString()]);
            await edit(image, cancellationToken);
            await Destinations.WriteAsync(context, destination, image, cancellationToken);
        }
    }

    private static async Task EditIndexAsync(CliContext context, ImageLocation source, ImageLocation destination, ImageIndex index, bool all, List<Platform> chosen, Func<Image, CancellationToken, Task> edit, CancellationToken cancellationToken)
    {
        if (chosen.FirstOrDefault(p => !index.Images.Any(i => p.Matches(i.Platform))) is { } missing)
        {
            throw new PlatformNotFoundException(source.Text, missing, index.Images.Select(i => i.Platform.ToString()));
        }
        var images = index.Images.Where(i => all || chosen.Any(p => p.Matches(i.Platform))).ToList();
        if (!destination.CanHoldIndex && images.Count != 1)
        {
            throw new UsageException($"{destination} holds one image: choose one platform of {source} ({string.Join(", ", index.Images.Select(i => i.Platform))}) with --platform");
        }
        foreach (var image in images) await edit(image, cancellationToken);
        if (destination.CanHoldIndex)
        {
            var digest = await destination.WriteIndexAsync(index, context.Registries, cancellationToken);
            context.Status($"wrote {destination}@{digest}: changed {string.Join(", ", images.Select(i => i.Platform))} of {index.Images.Count} platforms");
            return;
        }
        await Destinations.WriteAsync(context, destination, images[0], cancellationToken);
    }
}
