
namespace Dockerless;

public sealed partial class Image
{
    /// <summary>
    /// Adds one layer holding <paramref name="hostPath"/> (a directory, recursively, or a file)
    /// under <paramref name="containerPath"/>. Blocks until the layer is built; see
    /// <see cref="AddLayerPathAsync"/>.
    /// </summary>
    public void AddLayerPath(string hostPath, string containerPath = "/", LayerOptions? options = null)
        => AddLayerPathAsync(hostPath, containerPath, options).GetAwaiter().GetResult();

    /// <summary>Adds one layer holding the given files (container path to contents, mode 0644). Blocks until it is built.</summary>
    public void AddLayerContents(IReadOnlyDictionary<string, byte[]> contents, LayerOptions? options = null)
        => AddLayerContentsAsync(contents, options).GetAwaiter().GetResult();

    /// <summary>Adds one layer that deletes <paramref name="paths"/> (files or whole directories) with whiteouts.</summary>
    public void DeletePaths(params string[] paths)
        => DeletePathsAsync(paths).GetAwaiter().GetResult();

    /// <summary>
    /// Adds one layer holding <paramref name="hostPath"/> (a directory, recursively, or a file)
    /// under <paramref name="containerPath"/>; see <see cref="LayerBuilder.AddPath"/>.
    /// </summary>
    public async Task AddLayerPathAsync(string hostPath, string containerPath = "/", LayerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var layer = await NewLayerBuilder().AddPath(hostPath, containerPath).BuildAsync(options, cancellationToken).ConfigureAwait(false);
        // Docker's COPY form with the source's name only: a host path in the config would make
        // the digest depend on where the sources were checked out.
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(hostPath)));
        AddBuiltLayer(layer, $"COPY {name} {containerPath}", options);
    }

    /// <summary>Adds one layer holding the given files (container path to contents, mode 0644).</summary>
    public async Task AddLayerContentsAsync(IReadOnlyDictionary<string, byte[]> contents, LayerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contents);
        var layer = await NewLayerBuilder().AddContents(contents).BuildAsync(options, cancellationToken).ConfigureAwait(false);
        AddBuiltLayer(layer, $"dockerless add-layer-contents {string.Join(' ', contents.Keys.Order(StringComparer.Ordinal))}", options);
    }

    /// <summary>Adds one layer that deletes <paramref name="paths"/> (files or whole directories) with whiteouts.</summary>
    public async Task DeletePathsAsync(IEnumerable<string> paths, LayerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var builder = new LayerBuilder();
        var list = paths.ToList();
        foreach (var path in list) builder.DeletePath(path);
        if (builder.Count == 0) throw new ArgumentException("no path to delete", nameof(paths));
        var layer = await builder.BuildAsync(options, cancellationToken).ConfigureAwait(false);
        AddBuiltLayer(layer, $"dockerless delete {string.Join(' ', list)}", options);
    }

    /// <summary>
    /// A builder for a layer to put on top of this image's (with <see cref="AddLayer"/>): it makes up
    /// no parent directory when layers below may hold it (see <see cref="LayerBuilder.ParentsFromBelow"/>).
    /// </summary>
    public LayerBuilder NewLayerBuilder() => new() { ParentsFromBelow = _layers.Count > 0 };

    private void AddBuiltLayer(BuiltLayer layer, string createdBy, LayerOptions? options)
        => AddLayer(layer, new HistoryEntry { Created = options?.Timestamp ?? DefaultTimestamp, CreatedBy = createdBy });
}
