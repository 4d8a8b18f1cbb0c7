namespace Dockerless.Cli.Commands;

/// <summary>Opens the SRC arguments of <c>index create</c> and <c>index add</c> into an index.</summary>
internal static class IndexSources
{
    /// <summary>
    /// Adds to <paramref name="index"/> the image each of <paramref name="sources"/> names, or every
    /// platform of the index it names, read lazily: a registry image's layers stay in the registry.
    /// Two images of one platform are refused, naming both sources.
    /// </summary>
    public static async Task AddAsync(CliContext context, ImageIndex index, IEnumerable<string> sources, CancellationToken cancellationToken)
    {
        var names = index.Images.ToDictionary(i => i, i => i.ToString());
        foreach (var text in sources)
        {
            var location = CommonOptions.SourceLocation(text);
            foreach (var image in await OpenAsync(context, location, cancellationToken))
            {
                try
                {
                    if (index.Images.FirstOrDefault(i => i.Platform.SameAs(image.Platform)) is { } held)
                    {
                        throw new DuplicatePlatformException(image.Platform, names[held], text);
                    }
                    index.Add(image, text);
                    names[image] = text;
                }
                catch
                {
                    await image.DisposeAsync();
                    throw;
                }
            }
        }
    }

    private static async Task<IReadOnlyList<Image>> OpenAsync(CliContext context, ImageLocation location, CancellationToken cancellationToken)
    {
        if (location.CanHoldIndex && await location.TryOpenIndexAsync(null, context.Registries, cancellationToken) is { } index)
        {
            var images = index.Images.ToList();
            index.Images.Clear();
            await index.DisposeAsync();
            return images;
        }
        return [await location.OpenImageAsync(null, context.Registries, cancellationToken)];
    }
}
