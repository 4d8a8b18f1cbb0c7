
namespace Dockerless.Archives;

/// <summary>
/// Writes OCI image layouts: a directory, new or shared with other writers (see
/// <see cref="OciLayoutStore"/>), or an oci-archive tar (written to a temporary file, then renamed).
/// </summary>
internal static class OciLayoutWriter
{
    /// <summary>
    /// Adds the images to the layout at <paramref name="directory"/>, made when missing. Blobs
    /// stream into the writer's own temporary folder without the lock; then, under the layout's
    /// lock, they are renamed into <c>blobs/</c> and <c>index.json</c> is read again, changed and
    /// replaced, so writers running at once all keep their entries. A blob already there is kept
    /// (content-addressed). Entries of <c>index.json</c> with the same name, tag and platform as
    /// an added image are replaced; its other fields (annotations, fields this version does not
    /// know) are kept. A writer that fails leaves the blobs it published for the garbage collection.
    /// </summary>
    public static async Task WriteDirectoryAsync(string directory, OciLayoutPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (directory.Length == 0) throw new ArgumentException("the output directory is empty", nameof(directory));
        directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        if (File.Exists(directory))
        {
            throw new InvalidImageFormatException($"{directory}: exists and is not an OCI image layout (it has no {OciLayoutReader.LayoutFile} file)");
        }
        var writer = await OciLayoutStore.BeginWriteAsync(directory, cancellationToken).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            try
            {
                var written = new System.Collections.Concurrent.ConcurrentDictionary<Digest, string>();
                await ForEachBlobAsync(plan, async (blob, ct) =>
                {
                    if (!writer.Holds(blob)) written[blob.Digest] = await writer.WriteBlobAsync(blob, ct).ConfigureAwait(false);
                }, cancellationToken).ConfigureAwait(false);
                using (await OciLayoutStore.LockAsync(directory, cancellationToken).ConfigureAwait(false))
                {
                    await PublishAsync(writer, plan, written, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (AtomicOutput.Names(e, writer.Folder))
            {
                throw AtomicOutput.CannotWrite(directory, writer.Folder, e);
            }
        }
    }

    /// <summary>
    /// Under the layout's lock: moves the written blobs into place (writing any that a garbage
    /// collection removed since they were found), flushes their directories, then replaces
    /// <c>index.json</c> read anew.
    /// </summary>
    private static async Task PublishAsync(OciLayoutStore.Writer writer, OciLayoutPlan plan, System.Collections.Concurrent.ConcurrentDictionary<Digest, string> written, CancellationToken cancellationToken)
    {
        var directory = writer.Directory;
        OciLayoutStore.CheckWritable(directory);
        var isNew = !OciLayoutStore.IsLayout(directory);
        var folders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var blob in plan.Blobs)
        {
            if (!written.TryGetValue(blob.Digest, out var temporary))
            {
                if (writer.Holds(blob)) continue;
                temporary = await writer.WriteBlobAsync(blob, cancellationToken).ConfigureAwait(false);
            }
            var target = writer.PathOf(blob);
            var folder = Path.GetDirectoryName(target)!;
            if (folders.Add(folder)) Directory.CreateDirectory(folder);
            File.Move(temporary, target, overwrite: true);
        }
        foreach (var folder in folders) DurableFile.FlushDirectory(folder);
        if (folders.Count > 0) DurableFile.FlushDirectory(Path.GetDirectoryName(folders.First())!);
        cancellationToken.ThrowIfCancellationRequested();

        IndexManifest? index = null;
        if (isNew)
        {
            await DurableFile.ReplaceAsync(Path.Combine(directory, OciLayoutReader.LayoutFile), OciLayoutPlan.LayoutBytes(),
                writer.TemporaryFor(OciLayoutReader.LayoutFile), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var indexRegion = new DirectoryContents(directory).Locate(OciLayoutReader.IndexFile, "an OCI image layout");
            index = ArchiveJsonContext.Parse(
                await ArchiveContents.ReadAllAsync(indexRegion, null, -1, cancellationToken).ConfigureAwait(false),
                ManifestJsonContext.Documents.IndexManifest, indexRegion.What);
        }
        var kept = index?.Manifests.Where(m => !plan.Manifests.Any(n => SameReference(m, n))) ?? [];
        var bytes = OciLayoutPlan.IndexBytes(kept.Concat(plan.Manifests), index);
        await DurableFile.ReplaceAsync(Path.Combine(directory, OciLayoutReader.IndexFile), bytes,
            writer.TemporaryFor(OciLayoutReader.IndexFile), CancellationToken.None).ConfigureAwait(false);
        writer.Published = true;
    }

    /// <summary>
    /// True when <paramref name="added"/> takes the place of <paramref name="existing"/>. The ref
    /// name holds only the tag, which alpha:latest and beta:latest share; where both entries also
    /// carry containerd's full name, that must match too, so one image does not push out another.
    /// An entry without a name (a referrer) replaces the unnamed entry of the same digest, so that
    /// writing it again does not list it twice.
    /// </summary>
    private static bool SameReference(Descriptor existing, Descriptor added)
    {
        static string? Get(Descriptor d, string key) => d.Annotations?.GetValueOrDefault(key);
        if (Get(added, OciLayoutReader.RefNameAnnotation) is null) return Get(existing, OciLayoutReader.RefNameAnnotation) is null && existing.Digest == added.Digest;
        return Get(added, OciLayoutReader.RefNameAnnotation) is { } reference && Get(existing, OciLayoutReader.RefNameAnnotation) == reference
            && (Get(existing, OciLayoutReader.ContainerdNameAnnotation) is not { } existingName
                || Get(added, OciLayoutReader.ContainerdNameAnnotation) is not { } addedName
                || existingName == addedName)
            && (existing.Platform is null || added.Platform is null || existing.Platform.Matches(added.Platform));
    }

    /// <summary>
    /// Runs <paramref name="copy"/> for every blob, <see cref="ParallelBlobs"/> at a time and the
    /// largest first, so a pull from a registry into a layout downloads as a push uploads.
    /// </summary>
    private static Task ForEachBlobAsync(OciLayoutPlan plan, Func<OciLayoutPlan.Blob, CancellationToken, ValueTask> copy, CancellationToken cancellationToken)
        => Parallel.ForEachAsync(plan.Blobs.OrderByDescending(b => b.Size), new ParallelOptions { MaxDegreeOfParallelism = ParallelBlobs, CancellationToken = cancellationToken }, copy);

    /// <summary>How many blobs are written into a layout at once (as many as a registry client moves by default).</summary>
    internal const int ParallelBlobs = 4;

    /// <summary>Writes an oci-archive: <c>oci-layout</c> and <c>index.json</c> first, then the blobs.</summary>
    public static Task WriteArchiveAsync(string path, OciLayoutPlan plan, CancellationToken cancellationToken)
    {
        return AtomicOutput.WriteFileAsync(path, async output =>
        {
            var tar = new ArchiveTarWriter(output);
            await using (tar.ConfigureAwait(false))
            {
                await tar.WriteFileAsync(OciLayoutReader.LayoutFile, OciLayoutPlan.LayoutBytes(), cancellationToken).ConfigureAwait(false);
                await tar.WriteFileAsync(OciLayoutReader.IndexFile, OciLayoutPlan.IndexBytes(plan.Manifests), cancellationToken).ConfigureAwait(false);
                foreach (var blob in plan.Blobs)
                {
                    var source = await blob.OpenAsync(cancellationToken).ConfigureAwait(false);
                    await using (source.ConfigureAwait(false))
                    {
                        await tar.WriteFileAsync(blob.Path, source, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }, cancellationToken);
    }
}
