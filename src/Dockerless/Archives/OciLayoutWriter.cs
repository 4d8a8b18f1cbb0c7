
namespace Dockerless.Archives;

/// <summary>
/// Writes OCI image layouts: a new directory (built under a temporary name, then renamed), an
/// existing layout (new blobs under temporary names, renamed; <c>index.json</c> replaced last),
/// or an oci-archive tar (written to a temporary file, then renamed).
/// </summary>
internal static class OciLayoutWriter
{
    public static async Task WriteDirectoryAsync(string directory, OciLayoutPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (directory.Length == 0) throw new ArgumentException("the output directory is empty", nameof(directory));
        directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        if (File.Exists(Path.Combine(directory, OciLayoutReader.LayoutFile)))
        {
            await AddToExistingAsync(directory, plan, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (File.Exists(directory) || (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any()))
        {
            throw new InvalidImageFormatException($"{directory}: exists and is not an OCI image layout (it has no {OciLayoutReader.LayoutFile} file)");
        }
        var temporary = AtomicOutput.TemporaryBeside(directory);
        try
        {
            Directory.CreateDirectory(temporary);
            await File.WriteAllBytesAsync(Path.Combine(temporary, OciLayoutReader.LayoutFile), OciLayoutPlan.LayoutBytes(), cancellationToken).ConfigureAwait(false);
            await ForEachBlobAsync(plan, async (blob, ct) =>
            {
                var target = Path.Combine(temporary, blob.Path);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await CopyBlobAsync(blob, target, ct).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            await File.WriteAllBytesAsync(Path.Combine(temporary, OciLayoutReader.IndexFile), OciLayoutPlan.IndexBytes(plan.Manifests), cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (Directory.Exists(directory)) Directory.Delete(directory);
            Directory.Move(temporary, directory);
        }
        catch (Exception e) when (AtomicOutput.Names(e, temporary))
        {
            AtomicOutput.TryDelete(temporary);
            throw AtomicOutput.CannotWrite(directory, temporary, e);
        }
        catch
        {
            AtomicOutput.TryDelete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Adds the images to a layout that exists. A blob already there is content-addressed and
    /// kept; new ones appear only complete. Entries of <c>index.json</c> with the same name, tag
    /// and platform as an added image are replaced; its other fields (annotations, fields this
    /// version does not know) are kept. On failure, the blobs added are removed again.
    /// </summary>
    private static async Task AddToExistingAsync(string directory, OciLayoutPlan plan, CancellationToken cancellationToken)
    {
        var contents = new DirectoryContents(directory);
        var indexRegion = contents.Locate(OciLayoutReader.IndexFile, "an OCI image layout");
        var index = ArchiveJsonContext.Parse(
            await ArchiveContents.ReadAllAsync(indexRegion, null, -1, cancellationToken).ConfigureAwait(false),
            ManifestJsonContext.Documents.IndexManifest, indexRegion.What);
        var added = new List<string>();
        try
        {
            await ForEachBlobAsync(plan, async (blob, ct) =>
            {
                var target = Path.Combine(directory, blob.Path);
                if (File.Exists(target) && new FileInfo(target).Length == blob.Size) return;
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await CopyBlobAsync(blob, target, ct).ConfigureAwait(false);
                lock (added) added.Add(target);
            }, cancellationToken).ConfigureAwait(false);
            var kept = index.Manifests.Where(m => !plan.Manifests.Any(n => SameReference(m, n)));
            var bytes = OciLayoutPlan.IndexBytes(kept.Concat(plan.Manifests), index);
            await AtomicOutput.CopyToFileAsync(new MemoryStream(bytes), indexRegion.File, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            foreach (var path in added) AtomicOutput.TryDelete(path);
            throw;
        }
    }

    /// <summary>
    /// True when <paramref name="added"/> takes the place of <paramref name="existing"/>. The ref
    /// name holds only the tag, which alpha:latest and beta:latest share; where both entries also
    /// carry containerd's full name, that must match too, so one image does not push out another.
    /// </summary>
    private static bool SameReference(Descriptor existing, Descriptor added)
    {
        static string? Get(Descriptor d, string key) => d.Annotations?.GetValueOrDefault(key);
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

    private static async Task CopyBlobAsync(OciLayoutPlan.Blob blob, string target, CancellationToken cancellationToken)
    {
        var source = await blob.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            await AtomicOutput.CopyToFileAsync(source, target, cancellationToken).ConfigureAwait(false);
        }
    }

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
