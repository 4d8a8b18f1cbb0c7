using System.Text.Json;

namespace Dockerless;

public sealed partial class Image
{
    /// <summary>
    /// Writes the image's filesystem as one uncompressed tar (what <c>crane export</c> and
    /// <c>docker export</c> give): the layers merged, whiteouts applied, newer entries written
    /// first. Each layer is read once, newest first (a second time only when a hard link needs bytes a
    /// newer layer hid), and checked (<see cref="InvalidLayerException"/>,
    /// <see cref="UnsafeTarEntryException"/>); nothing is extracted on the host, so device nodes
    /// are kept as entries. An entry's path is written normalised (no <c>./</c>, no leading <c>/</c>),
    /// except the root's, which is written as <c>./</c> when a layer has one (its mode and owner are the root's).
    /// </summary>
    public async Task ExportAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var writer = new ReproducibleTarWriter(destination);
        await using (writer.ConfigureAwait(false))
        {
            await new Flattener(_layers, writer).WriteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes the tar <see cref="ExportAsync(Stream, CancellationToken)"/> gives into the file
    /// <paramref name="path"/>: under a temporary name beside it, renamed when whole, so that a
    /// failure or cancellation leaves no partial tar.
    /// </summary>
    public Task ExportAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return AtomicOutput.WriteFileAsync(path, file => ExportAsync(file, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// A new image with the same name, tags, platform and configuration whose single layer is this
    /// image's merged filesystem (<c>crane flatten</c>). Its history is one entry; this image is unchanged.
    /// </summary>
    public async Task<Image> FlattenAsync(LayerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var layer = await BuiltLayer.CreateAsync(ExportAsync, options ?? LayerOptions.Default, cancellationToken).ConfigureAwait(false);
        var configuration = JsonSerializer.Deserialize(Serialize(Configuration), ManifestJsonContext.Documents.ImageConfiguration)!;
        configuration.RootFs.DiffIds = [];
        configuration.History = [];
        var image = new Image(configuration, null, null) { Name = Name };
        image.Tags.AddRange(Tags);
        image.AddLayer(layer, new HistoryEntry { Created = DefaultTimestamp, CreatedBy = "dockerless flatten" });
        return image;
    }
}
