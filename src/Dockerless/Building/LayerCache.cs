using System.Globalization;
using System.Text;

namespace Dockerless.Building;

/// <summary>
/// The build's step cache: the compressed blobs of layers a build made, keyed by the layer's
/// content (its diff_id) and how it is compressed. A step's layer is first written as a tar into
/// a hash alone (its sources read, nothing compressed or spooled); when the cache holds that
/// diff_id, the stored blob is the layer. Entries are written once under a temporary name and
/// renamed, and never changed, so concurrent builds share a directory without locks; readers
/// never see a half-written file, and every blob is checked against its digest as it is read.
/// </summary>
internal sealed class LayerCache(string directory)
{
    private const string TemporaryPrefix = ".tmp-";

    /// <summary>The default directory: <c>$XDG_CACHE_HOME/dockerless/build</c>, else <c>~/.cache/dockerless/build</c>.</summary>
    public static string DefaultDirectory =>
        Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "dockerless", "build");

    /// <summary>
    /// The layer <paramref name="builder"/> makes: from the cache when it holds its content
    /// (<paramref name="useStored"/>), else built and stored. The flag says whether it came from the cache.
    /// </summary>
    public async Task<(Layer Layer, bool Cached)> BuildAsync(LayerBuilder builder, LayerOptions options, bool useStored, CancellationToken cancellationToken)
    {
        Digest diffId;
        var hashing = new HashingStream(Stream.Null);
        await using (hashing.ConfigureAwait(false))
        {
            await builder.WriteTarAsync(hashing, options, cancellationToken).ConfigureAwait(false);
            diffId = hashing.GetDigest();
        }
        var key = Key(diffId, options);
        if (useStored && await TryLoadAsync(key, diffId, cancellationToken).ConfigureAwait(false) is { } stored) return (stored, true);
        var layer = await builder.BuildAsync(options, cancellationToken).ConfigureAwait(false);
        await StoreAsync(key, layer, cancellationToken).ConfigureAwait(false);
        return (layer, false);
    }

    /// <summary>
    /// The layer a RUN made, stored under its <paramref name="key"/> (<see cref="RunSteps.RunStepKey"/>),
    /// or null when the cache has no usable entry.
    /// </summary>
    public async Task<Layer?> TryLoadStepAsync(string key, CancellationToken cancellationToken)
    {
        var entry = Path.Combine(directory, "steps", key);
        if (!File.Exists(entry)) return null;
        var fields = (await File.ReadAllTextAsync(entry, cancellationToken).ConfigureAwait(false)).Trim().Split(' ');
        if (fields.Length != 4 || !Digest.TryParse(fields[3], out var diffId)) return null;
        return StoredLayer(fields[0], fields[1], fields[2], diffId);
    }

    /// <summary>Stores the layer a RUN made (its blob already stored by <see cref="BuildAsync"/>) under its <paramref name="key"/>.</summary>
    public Task StoreStepAsync(string key, Layer layer, CancellationToken cancellationToken)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{layer.Digest} {layer.Size} {layer.MediaType} {layer.DiffId}");
        return WriteOnceAsync(Path.Combine(directory, "steps", key), output => output.WriteAsync(Encoding.UTF8.GetBytes(line), cancellationToken).AsTask());
    }

    /// <summary>The entry's name: the diff_id and every option that changes the blob's bytes.</summary>
    private static string Key(Digest diffId, LayerOptions options)
    {
        var text = $"{diffId}\n{options.Compression}\n{options.CompressionLevel}\n{options.ParallelGzip}";
        return Digest.Compute(Encoding.UTF8.GetBytes(text)).Encoded;
    }

    private async Task<Layer?> TryLoadAsync(string key, Digest diffId, CancellationToken cancellationToken)
    {
        var entry = Path.Combine(directory, "layers", key);
        if (!File.Exists(entry)) return null;
        var fields = (await File.ReadAllTextAsync(entry, cancellationToken).ConfigureAwait(false)).Split(' ');
        return fields.Length == 3 ? StoredLayer(fields[0], fields[1], fields[2].Trim(), diffId) : null;
    }

    /// <summary>The stored blob <paramref name="digestText"/> of <paramref name="sizeText"/> bytes, when it is there whole.</summary>
    private FileLayer? StoredLayer(string digestText, string sizeText, string mediaType, Digest diffId)
    {
        if (!Digest.TryParse(digestText, out var digest) || !long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var size)) return null;
        var blob = BlobPath(digest);
        if (!File.Exists(blob) || new FileInfo(blob).Length != size) return null;
        return new FileLayer(new FileRegion(blob, 0, size, $"cached layer {digest}"), digest, diffId, mediaType);
    }

    private async Task StoreAsync(string key, Layer layer, CancellationToken cancellationToken)
    {
        var blob = BlobPath(layer.Digest);
        if (!File.Exists(blob))
        {
            await WriteOnceAsync(blob, async output =>
            {
                var source = await layer.OpenAsync(cancellationToken).ConfigureAwait(false);
                await using (source.ConfigureAwait(false)) await source.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        var line = string.Create(CultureInfo.InvariantCulture, $"{layer.Digest} {layer.Size} {layer.MediaType}");
        await WriteOnceAsync(Path.Combine(directory, "layers", key), output => output.WriteAsync(Encoding.UTF8.GetBytes(line), cancellationToken).AsTask()).ConfigureAwait(false);
    }

    private string BlobPath(Digest digest) => Path.Combine(directory, "blobs", digest.Algorithm, digest.Encoded);

    /// <summary>Writes <paramref name="path"/> under a temporary name in its directory, flushed to disk, then renamed into place.</summary>
    private static async Task WriteOnceAsync(string path, Func<Stream, Task> write)
    {
        var folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, TemporaryPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await using (output.ConfigureAwait(false))
            {
                await write(output).ConfigureAwait(false);
                output.Flush(flushToDisk: true);
            }
            // Another build may have stored the same bytes meanwhile: either copy is the entry.
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
