using System.Text;
using System.Text.Json;

namespace Dockerless.Archives;

/// <summary>
/// Writes what <c>docker save</c> (Docker 20.10) writes: <c>&lt;id&gt;/layer.tar</c>,
/// <c>&lt;id&gt;/json</c> and <c>&lt;id&gt;/VERSION</c> per layer, <c>&lt;config hex&gt;.json</c>,
/// <c>manifest.json</c> and the legacy <c>repositories</c>.
/// </summary>
/// <remarks>
/// Layer tars are written uncompressed, as docker save does, even when the blob is gzip or
/// zstd. Every loader accepts that (docker load of any version, the legacy loader, skopeo,
/// podman, python-docker), a layer's digest in the archive is its diff_id (so reading the
/// archive back needs no hashing), and a docker save archive rewritten keeps its layer
/// digests. The uncompressed size is unknown until the end, so the entry is streamed into the
/// seekable output file and TarWriter patches the size into the header afterwards: no spool,
/// nothing in memory. The diff_id and the blob's digest are both checked on the way.
/// A layer shared by several images is stored once; later ones link to it, as docker save does.
/// </remarks>
internal sealed class DockerArchiveWriter
{
    private readonly ArchiveTarWriter _tar;
    private readonly Dictionary<Digest, string> _layerTars = [];
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    private readonly List<DockerArchiveEntry> _manifest = [];
    private readonly SortedDictionary<string, SortedDictionary<string, string>> _repositories = new(StringComparer.Ordinal);

    private DockerArchiveWriter(ArchiveTarWriter tar) => _tar = tar;

    public static Task WriteAsync(string path, IReadOnlyList<Image> images, CancellationToken cancellationToken)
    {
        // Before a byte is written: a name docker load cannot parse fails here, not after the layers.
        var repoTags = images.Select(RepoTag.Of).ToList();
        return AtomicOutput.WriteFileAsync(path, async output =>
        {
            var tar = new ArchiveTarWriter(output);
            await using (tar.ConfigureAwait(false))
            {
                var writer = new DockerArchiveWriter(tar);
                for (var i = 0; i < images.Count; i++) await writer.AddAsync(images[i], repoTags[i], cancellationToken).ConfigureAwait(false);
                await writer.FinishAsync(cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken);
    }

    private async Task AddAsync(Image image, List<string> repoTags, CancellationToken cancellationToken)
    {
        var config = image.GetConfigBytes();
        var configDigest = Digest.Compute(config);
        var layerPaths = new List<string>();
        var layerSources = new SortedDictionary<string, Descriptor>(StringComparer.Ordinal);
        var parent = "";
        for (var i = 0; i < image.Layers.Count; i++)
        {
            var layer = image.Layers[i];
            var top = i == image.Layers.Count - 1;
            // A v1 id names a layer in its chain (and, on top, with its config), like Docker's v1 ids.
            var id = Digest.Compute(Encoding.UTF8.GetBytes($"{parent}\n{layer.DiffId}{(top ? "\n" + configDigest : "")}")).Encoded;
            if (_written.Add(id))
            {
                await WriteLayerAsync(id, layer, cancellationToken).ConfigureAwait(false);
                await _tar.WriteFileAsync($"{id}/json", LegacyJson(image, id, parent, top), cancellationToken).ConfigureAwait(false);
                await _tar.WriteFileAsync($"{id}/VERSION", "1.0"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            }
            layerPaths.Add($"{id}/layer.tar");
            if (MediaTypes.IsForeignLayer(layer.MediaType)) layerSources[layer.DiffId.ToString()] = layer.ToDescriptor(docker: true);
            parent = id;
        }
        var configName = $"{configDigest.Encoded}.json";
        if (_written.Add(configName)) await _tar.WriteFileAsync(configName, config, cancellationToken).ConfigureAwait(false);

        _manifest.Add(new DockerArchiveEntry
        {
            Config = configName,
            RepoTags = repoTags.Count == 0 ? null : repoTags,
            Layers = layerPaths,
            LayerSources = layerSources.Count == 0 ? null : layerSources,
        });
        if (parent.Length == 0) return;
        foreach (var (name, tag) in repoTags.Select(RepoTag.Split))
        {
            if (!_repositories.TryGetValue(name, out var tags)) _repositories[name] = tags = new(StringComparer.Ordinal);
            tags[tag] = parent;
        }
    }

    private async Task WriteLayerAsync(string id, Layer layer, CancellationToken cancellationToken)
    {
        var path = $"{id}/layer.tar";
        if (_layerTars.TryGetValue(layer.DiffId, out var existing))
        {
            await _tar.WriteSymlinkAsync(path, $"../{existing}", cancellationToken).ConfigureAwait(false);
            return;
        }
        // A foreign layer's stream is the uncompressed tar docker save left here, if any; without it this throws, naming the layer's URLs.
        var tar = await layer.OpenUncompressedAsync(cancellationToken).ConfigureAwait(false);
        await using (tar.ConfigureAwait(false))
        {
            try
            {
                await _tar.WriteFileAsync(path, tar, cancellationToken).ConfigureAwait(false);
                // Reading to the very end makes the stream check the blob's digest and size and the diff_id.
                await BlobCopy.DrainAsync(tar, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidDataException or ZstdSharp.ZstdException)
            {
                throw new InvalidImageFormatException($"layer {layer.Digest} (diff_id {layer.DiffId}): not valid {layer.Compression} data: {e.Message}", e);
            }
        }
        _layerTars.Add(layer.DiffId, path);
    }

    /// <summary>
    /// The v1 json older loaders read: id, parent, created, platform and, on the top layer,
    /// the runtime config. Only the legacy loader uses it; manifest.json is what counts.
    /// </summary>
    private static byte[] LegacyJson(Image image, string id, string parent, bool top)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", id);
            if (parent.Length > 0) json.WriteString("parent", parent);
            json.WriteString("created", image.Created ?? Image.DefaultTimestamp);
            json.WriteString("os", image.Configuration.Os);
            json.WriteString("architecture", image.Configuration.Architecture);
            json.WritePropertyName("container_config");
            JsonSerializer.Serialize(json, top ? image.Config : new ContainerConfig(), ArchiveJsonContext.Default.ContainerConfig);
            if (top)
            {
                if (image.Author is { } author) json.WriteString("author", author);
                json.WritePropertyName("config");
                JsonSerializer.Serialize(json, image.Config, ArchiveJsonContext.Default.ContainerConfig);
            }
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private async Task FinishAsync(CancellationToken cancellationToken)
    {
        var manifest = JsonSerializer.SerializeToUtf8Bytes(_manifest, ArchiveJsonContext.Default.ListDockerArchiveEntry);
        await _tar.WriteFileAsync(DockerArchiveReader.ManifestFile, manifest, cancellationToken).ConfigureAwait(false);
        if (_repositories.Count > 0)
        {
            var repositories = _repositories.ToDictionary(r => r.Key, r => r.Value.ToDictionary(StringComparer.Ordinal), StringComparer.Ordinal);
            await _tar.WriteFileAsync(LegacyArchiveReader.RepositoriesFile,
                JsonSerializer.SerializeToUtf8Bytes(repositories, ArchiveJsonContext.Default.DictionaryStringDictionaryStringString), cancellationToken).ConfigureAwait(false);
        }
    }
}
