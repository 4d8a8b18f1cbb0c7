using System.Text.Json;

namespace Dockerless.Archives;

/// <summary>
/// Garbage collection of an OCI layout, under the layout's lock: marks every blob an entry of
/// <c>index.json</c> reaches (through nested indexes, manifests, configs, layers and subjects),
/// then removes every other file under <c>blobs/</c> and the temporary folders of dead writers.
/// A manifest or index that fails its digest stops the collection before anything is removed:
/// what it names cannot be known.
/// </summary>
internal static class OciLayoutCollector
{
    public static async Task<GarbageCollectionResult> CollectAsync(string directory, bool dryRun, CancellationToken cancellationToken)
    {
        directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        if (!OciLayoutStore.IsLayout(directory))
        {
            throw new InvalidImageFormatException($"{directory}: not an OCI image layout (it has no {OciLayoutReader.LayoutFile} file)");
        }
        using (await OciLayoutStore.LockAsync(directory, cancellationToken).ConfigureAwait(false))
        {
            var reachable = await MarkAsync(new DirectoryContents(directory), cancellationToken).ConfigureAwait(false);
            var blobs = new List<RemovedFile>();
            var blobsFolder = Path.Combine(directory, "blobs");
            var folders = Directory.Exists(blobsFolder) ? Directory.GetDirectories(blobsFolder) : [];
            foreach (var folder in folders)
            {
                var algorithm = Path.GetFileName(folder);
                foreach (var file in Directory.GetFiles(folder))
                {
                    if (reachable.Contains($"{algorithm}:{Path.GetFileName(file)}")) continue;
                    blobs.Add(new RemovedFile(Path.GetRelativePath(directory, file), new FileInfo(file).Length));
                    if (!dryRun) File.Delete(file);
                }
            }
            var temporaries = new List<RemovedFile>();
            foreach (var folder in OciLayoutStore.DeadTemporaries(directory))
            {
                temporaries.Add(new RemovedFile(Path.GetFileName(folder), SizeOf(folder)));
                if (!dryRun) Directory.Delete(folder, recursive: true);
            }
            if (!dryRun)
            {
                foreach (var folder in folders) DurableFile.FlushDirectory(folder);
                DurableFile.FlushDirectory(directory);
            }
            return new GarbageCollectionResult { Blobs = blobs, Temporaries = temporaries, KeptBlobs = reachable.Count, DryRun = dryRun };
        }
    }

    /// <summary>The digests (as <c>alg:hex</c>) every entry of <c>index.json</c> reaches.</summary>
    private static async Task<HashSet<string>> MarkAsync(DirectoryContents contents, CancellationToken cancellationToken)
    {
        var indexRegion = contents.Locate(OciLayoutReader.IndexFile, "an OCI image layout");
        var indexBytes = await ArchiveContents.ReadAllAsync(indexRegion, null, -1, cancellationToken).ConfigureAwait(false);
        var reachable = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<(JsonElement Descriptor, string ReferencedBy)>();
        using var index = Parse(indexBytes, indexRegion.What);
        Push(pending, index.RootElement, indexRegion.What);
        var documents = new List<JsonDocument>();
        try
        {
            while (pending.TryPop(out var next))
            {
                if (!TryDescriptor(next.Descriptor, out var digest, out var size, out var mediaType)) continue;
                if (!reachable.Add(digest.ToString())) continue;
                var path = ArchiveContents.BlobPath(digest);
                if (!contents.TryLocate(path, out var region) || !MayNameBlobs(mediaType, region.Length)) continue;
                var bytes = await ArchiveContents.ReadAllAsync(region, digest, size, cancellationToken).ConfigureAwait(false);
                var document = IsDocument(mediaType) ? Parse(bytes, region.What) : TryParse(bytes);
                if (document is null) continue;
                documents.Add(document);
                Push(pending, document.RootElement, $"{path} (named by {next.ReferencedBy})");
            }
        }
        finally
        {
            foreach (var document in documents) document.Dispose();
        }
        return reachable;
    }

    /// <summary>Manifests and indexes, which name other blobs.</summary>
    private static bool IsDocument(string? mediaType) => MediaTypes.IsIndex(mediaType) || MediaTypes.IsManifest(mediaType);

    /// <summary>
    /// Whether a blob is read for the blobs it names: every manifest and index, and any other
    /// small blob that is not a layer (a descriptor without a media type, an artifact's manifest
    /// of a type this version does not know), so that nothing such a blob names is removed.
    /// </summary>
    private static bool MayNameBlobs(string? mediaType, long size)
        => IsDocument(mediaType) || (!MediaTypes.IsLayer(mediaType) && !MediaTypes.IsForeignLayer(mediaType) && size <= MaxUndeclaredDocument);

    /// <summary>The largest blob of another media type read for the blobs it may name.</summary>
    private const long MaxUndeclaredDocument = 4 * 1024 * 1024;

    /// <summary>The blob as a JSON document, or null when it is none (it then names no blob).</summary>
    private static JsonDocument? TryParse(byte[] bytes)
    {
        try
        {
            return JsonDocument.Parse(bytes);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Queues the descriptors a manifest or index names: its manifests, config, layers and subject.</summary>
    private static void Push(Stack<(JsonElement, string)> pending, JsonElement root, string what)
    {
        if (root.ValueKind != JsonValueKind.Object) return;
        foreach (var list in (string[])["manifests", "layers", "blobs"])
        {
            if (root.TryGetProperty(list, out var items) && items.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in items.EnumerateArray()) pending.Push((item, what));
            }
        }
        foreach (var single in (string[])["config", "subject"])
        {
            if (root.TryGetProperty(single, out var item)) pending.Push((item, what));
        }
    }

    private static bool TryDescriptor(JsonElement element, out Digest digest, out long size, out string? mediaType)
    {
        digest = default;
        size = -1;
        mediaType = null;
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("digest", out var digestText) || digestText.ValueKind != JsonValueKind.String
            || !Digest.TryParse(digestText.GetString(), out digest))
        {
            return false;
        }
        if (element.TryGetProperty("size", out var sizeValue) && sizeValue.TryGetInt64(out var known)) size = known;
        if (element.TryGetProperty("mediaType", out var type) && type.ValueKind == JsonValueKind.String) mediaType = type.GetString();
        return true;
    }

    private static JsonDocument Parse(byte[] bytes, string what)
    {
        try
        {
            return JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            throw new InvalidImageFormatException($"{what}: invalid JSON: {e.Message}", e);
        }
    }

    private static long SizeOf(string folder)
        => new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
}
