using System.Text.Json;

namespace Dockerless.Archives;

/// <summary>
/// Reads the legacy (v1) docker-archive that python-docker and Docker before 1.10 write: no
/// <c>manifest.json</c>, only <c>repositories</c> naming each image's top layer id, and
/// <c>&lt;id&gt;/json</c> files whose <c>parent</c> links lead down to the base. There is no
/// image config: one is made from the top layer's json, with the diff_ids the layers give.
/// </summary>
internal static class LegacyArchiveReader
{
    public const string RepositoriesFile = "repositories";

    /// <summary>Fields of a v1 layer json that describe the layer, not the image.</summary>
    private static readonly string[] LayerOnlyFields = ["id", "parent", "checksum", "size", "Size", "layer_id", "parent_id"];

    public static async Task<IReadOnlyList<Image>> ReadAsync(ArchiveContents contents, CancellationToken cancellationToken)
    {
        var region = contents.Locate(RepositoriesFile, "a legacy docker-archive");
        var repositories = ArchiveJsonContext.Parse(
            await ArchiveContents.ReadAllAsync(region, null, -1, cancellationToken).ConfigureAwait(false),
            ArchiveJsonContext.Default.DictionaryStringDictionaryStringString, region.What);
        foreach (var (name, tags) in repositories)
        {
            if (tags is null || tags.Values.Any(string.IsNullOrEmpty))
            {
                throw new InvalidImageFormatException($"{region.What}: invalid JSON: the tags of \"{name}\" are null or name no layer id");
            }
        }
        var images = new List<Image>();
        foreach (var (name, tags) in repositories.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            foreach (var group in tags.GroupBy(t => t.Value, StringComparer.Ordinal))
            {
                var (configBytes, layers) = await ReadChainAsync(contents, group.Key, cancellationToken).ConfigureAwait(false);
                var image = Image.FromParts(configBytes, layers, $"{contents.Source}: {group.Key}/json");
                image.Name = name;
                image.Tags.AddRange(group.Select(t => t.Key));
                images.Add(image);
            }
        }
        return images;
    }

    private static async Task<(byte[] Config, List<Layer> Layers)> ReadChainAsync(ArchiveContents contents, string topId, CancellationToken cancellationToken)
    {
        var layers = new List<Layer>();
        byte[]? topJson = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var id = topId; !string.IsNullOrEmpty(id);)
        {
            var jsonPath = ArchivePaths.Check(contents.Source, $"{id}/json");
            if (!seen.Add(id)) throw new InvalidImageFormatException($"{contents.Source}: entry \"{jsonPath}\": the parent chain loops");
            var jsonRegion = contents.Locate(jsonPath, $"the parent chain of {topId}");
            var json = await ArchiveContents.ReadAllAsync(jsonRegion, null, -1, cancellationToken).ConfigureAwait(false);
            topJson ??= json;
            var layerJson = ArchiveJsonContext.Parse(json, ArchiveJsonContext.Default.LegacyLayerJson, jsonRegion.What);
            var tar = contents.Locate($"{id}/layer.tar", jsonRegion.What);
            layers.Add(Digest.TryParse($"{Digest.Sha256}:{layerJson.Checksum}", out var checksum)
                ? await DockerArchiveReader.LayerAtAsync(tar, checksum, cancellationToken).ConfigureAwait(false)
                : await HashedLayerAsync(tar, cancellationToken).ConfigureAwait(false));
            id = layerJson.Parent;
        }
        layers.Reverse();
        return (MakeConfig(topJson ?? [], layers, $"{contents.Source}: {topId}/json"), layers);
    }

    /// <summary>The image config the top layer's v1 json implies, with rootfs and one history entry per layer.</summary>
    private static byte[] MakeConfig(byte[] topJson, List<Layer> layers, string what)
    {
        var config = ArchiveJsonContext.Parse(topJson, ManifestJsonContext.Documents.ImageConfiguration, what);
        foreach (var field in LayerOnlyFields) config.ExtensionData?.Remove(field);
        config.RootFs = new RootFs { DiffIds = [.. layers.Select(l => l.DiffId)] };
        config.History = [.. layers.Select(_ => new HistoryEntry { Created = config.Created, CreatedBy = "legacy docker-archive layer" })];
        return JsonSerializer.SerializeToUtf8Bytes(config, ManifestJsonContext.Documents.ImageConfiguration);
    }

    /// <summary>
    /// A layer.tar whose json has no checksum. Its diff_id (the sha256 of its uncompressed bytes)
    /// and, when it is compressed, its digest come from the same single read of the file.
    /// </summary>
    private static async Task<Layer> HashedLayerAsync(FileRegion tar, CancellationToken cancellationToken)
    {
        var compression = await FileLayer.SniffCompressionAsync(tar, cancellationToken).ConfigureAwait(false);
        var blob = new HashingStream(tar.Open(), what: tar.What);
        await using (blob.ConfigureAwait(false))
        {
            Digest? diffId = null;
            if (compression != LayerCompression.None)
            {
                var uncompressed = new HashingStream(Layer.Decompress(blob, compression, leaveOpen: true), what: tar.What);
                await using (uncompressed.ConfigureAwait(false))
                {
                    await BlobCopy.DrainAsync(uncompressed, cancellationToken).ConfigureAwait(false);
                    diffId = uncompressed.GetDigest();
                }
            }
            // The decompressor may stop short of the end; the digest is of the whole file.
            await BlobCopy.DrainAsync(blob, cancellationToken).ConfigureAwait(false);
            var digest = blob.GetDigest();
            return new FileLayer(tar, digest, diffId ?? digest, MediaTypes.LayerType(compression));
        }
    }
}
