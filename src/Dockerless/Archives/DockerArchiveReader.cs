
namespace Dockerless.Archives;

/// <summary>
/// Reads a docker-archive (what <c>docker save</c> and <c>skopeo copy ... docker-archive:</c>
/// write): <c>manifest.json</c> first, then each image's config; layer tars are left in place
/// and read only when someone opens them.
/// </summary>
internal static class DockerArchiveReader
{
    public const string ManifestFile = "manifest.json";

    /// <summary>
    /// The images of the archive: every entry of <c>manifest.json</c>, or those
    /// <paramref name="choose"/> keeps of them, chosen before any config or layer is read (so that
    /// another image's damaged or missing files do not matter).
    /// </summary>
    public static async Task<IReadOnlyList<Image>> ReadAsync(ArchiveContents contents, CancellationToken cancellationToken, Func<IReadOnlyList<DockerArchiveEntry>, IEnumerable<DockerArchiveEntry>>? choose = null)
    {
        var entries = await ReadEntriesAsync(contents, cancellationToken).ConfigureAwait(false);
        var layers = new Dictionary<FileRegion, Layer>();
        var images = new List<Image>();
        foreach (var entry in choose is null ? entries : choose(entries))
        {
            var configPath = ArchivePaths.Check(contents.Source, entry.Config);
            var configRegion = contents.Locate(configPath, ManifestFile);
            // Not checked against its file name: docker load and skopeo name an image by the digest of its config's bytes, whatever the file is called.
            var configBytes = await ArchiveContents.ReadAllAsync(configRegion, null, -1, cancellationToken).ConfigureAwait(false);
            ImageConfiguration? configuration = ParseConfig(configBytes, configRegion.What);
            var diffIds = configuration.RootFs.DiffIds;
            if (diffIds.Count != entry.Layers.Count)
            {
                throw new InvalidImageFormatException(
                    $"{configRegion.What}: the config lists {diffIds.Count} diff_ids but {ManifestFile} names {entry.Layers.Count} layers");
            }
            var imageLayers = new List<Layer>();
            for (var i = 0; i < entry.Layers.Count; i++)
            {
                var referencedBy = $"{ManifestFile} (image {entry.Config})";
                var path = ArchivePaths.Check(contents.Source, entry.Layers[i]);
                if (entry.LayerSources?.GetValueOrDefault(diffIds[i].ToString()) is { } foreign && MediaTypes.IsForeignLayer(foreign.MediaType))
                {
                    // docker save names a foreign layer's descriptor in LayerSources; its tar may be absent.
                    var hasTar = contents.TryLocate(path, out var tar);
                    imageLayers.Add(new ForeignLayer(foreign, diffIds[i], $"{contents.Source}: {referencedBy}", hasTar ? tar : null));
                    continue;
                }
                var region = contents.Locate(path, referencedBy);
                if (!layers.TryGetValue(region, out var layer))
                {
                    layer = await LayerAtAsync(region, diffIds[i], cancellationToken, BlobPathDigest(path)).ConfigureAwait(false);
                    layers.Add(region, layer);
                }
                else if (layer.DiffId != diffIds[i])
                {
                    // The layer was taken at an earlier config's word; two words for one file cannot both be true.
                    throw new InvalidImageFormatException(
                        $"{configRegion.What}: gives layer {entry.Layers[i]} diff_id {diffIds[i]}, but another image's config gives it {layer.DiffId}");
                }
                imageLayers.Add(layer);
            }
            foreach (var (name, tags) in RepoTag.Group(entry.RepoTags))
            {
                // Each image owns its config: the first takes the parsed one, others parse their own.
                var image = configuration is null
                    ? Image.FromParts(configBytes, imageLayers, configRegion.What)
                    : Image.FromParts(configBytes, configuration, imageLayers, configRegion.What);
                configuration = null;
                image.Name = name;
                image.Tags.AddRange(tags);
                images.Add(image);
            }
        }
        return images;
    }

    /// <summary>The entries of <c>manifest.json</c>, one per image, in its order.</summary>
    public static async Task<IReadOnlyList<DockerArchiveEntry>> ReadEntriesAsync(ArchiveContents contents, CancellationToken cancellationToken)
    {
        var manifestRegion = contents.Locate(ManifestFile, "a docker-archive");
        var entries = ArchiveJsonContext.Parse(
            await ArchiveContents.ReadAllAsync(manifestRegion, null, -1, cancellationToken).ConfigureAwait(false),
            ArchiveJsonContext.Default.ListDockerArchiveEntry, manifestRegion.What);
        return entries.Contains(null!) ? throw new InvalidImageFormatException($"{manifestRegion.What}: invalid JSON: an image entry is null") : entries;
    }

    /// <summary>
    /// A layer tar found at <paramref name="region"/>. A plain tar's digest is its diff_id, which
    /// the config gives: it is checked while the layer is streamed, never by reading it now. So is
    /// a compressed one's when its path <paramref name="named"/> it (Docker 25 saves
    /// <c>blobs/sha256/HEX</c>). A compressed one with no such name (the .NET SDK writes gzip
    /// tars) has a digest nobody wrote down, so it is hashed once.
    /// </summary>
    public static async Task<Layer> LayerAtAsync(FileRegion region, Digest diffId, CancellationToken cancellationToken, Digest? named = null)
    {
        var compression = await FileLayer.SniffCompressionAsync(region, cancellationToken).ConfigureAwait(false);
        var digest = compression == LayerCompression.None ? diffId : named ?? await HashAsync(region, cancellationToken).ConfigureAwait(false);
        return new FileLayer(region, digest, diffId, MediaTypes.LayerType(compression));
    }

    /// <summary>The sha256 of the bytes at <paramref name="region"/>.</summary>
    public static async Task<Digest> HashAsync(FileRegion region, CancellationToken cancellationToken)
    {
        var stream = new HashingStream(region.Open(), what: region.What);
        await using (stream.ConfigureAwait(false))
        {
            await BlobCopy.DrainAsync(stream, cancellationToken).ConfigureAwait(false);
            return stream.GetDigest();
        }
    }

    /// <summary>Parses an image config read from an archive; a bad one is an error naming <paramref name="what"/>.</summary>
    public static ImageConfiguration ParseConfig(byte[] configBytes, string what)
        => ArchiveJsonContext.Parse(configBytes, ManifestJsonContext.Documents.ImageConfiguration, what);

    /// <summary>The digest an OCI content-addressed path names: <c>blobs/ALG/HEX</c>.</summary>
    private static Digest? BlobPathDigest(string path)
    {
        var parts = path.TrimStart('.', '/').Split('/');
        return parts is ["blobs", var algorithm, var encoded] && Digest.TryParse($"{algorithm}:{encoded}", out var digest) ? digest : null;
    }
}
