namespace Dockerless.Layers;

public abstract partial class Layer
{
    /// <summary>
    /// Builds a layer holding <paramref name="hostPath"/> (a directory, recursively, or a file)
    /// under <paramref name="containerPath"/>; see <see cref="LayerBuilder.AddPath"/>.
    /// </summary>
    public static Task<BuiltLayer> FromPathAsync(string hostPath, string containerPath = "/", LayerOptions? options = null, CancellationToken cancellationToken = default)
        => new LayerBuilder().AddPath(hostPath, containerPath).BuildAsync(options, cancellationToken);

    /// <summary>Builds a layer holding the given files (container path to contents, mode 0644).</summary>
    public static Task<BuiltLayer> FromContentsAsync(IEnumerable<KeyValuePair<string, byte[]>> contents, LayerOptions? options = null, CancellationToken cancellationToken = default)
        => new LayerBuilder().AddContents(contents).BuildAsync(options, cancellationToken);

    /// <summary>
    /// Makes a layer of an existing uncompressed tar (<c>crane append</c>), compressing it as
    /// <paramref name="options"/> say in the same pass that computes both digests. The tar is taken
    /// as it is: its entries are neither sorted nor normalised.
    /// </summary>
    public static Task<BuiltLayer> FromTarAsync(Stream tar, LayerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tar);
        return BuiltLayer.CreateAsync((output, ct) => BlobCopy.CopyAsync(tar, output, ct), options ?? LayerOptions.Default, cancellationToken);
    }
}
