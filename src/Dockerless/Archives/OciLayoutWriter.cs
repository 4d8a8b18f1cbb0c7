using Dockerless.Manifests;

namespace Dockerless.Archives;

/// <summary>
/// Writes OCI image layouts: a new directory (built under a temporary name, then renamed), an
/// existing layout (new blobs under temporary names, renamed; <c>index.json</c> replaced last),
/// or an oci-archive tar (written to a temporary file, then renamed).
/// </summary>
internal static class OciLayoutWriter
{
    public static async Task WriteDirectoryAsync(string directory, IReadOnlyList<Image> images, CancellationToken cancellationToken)
    {
        directory = Path.GetFullPath(directory.TrimEnd('/'));
        var plan = new OciLayoutPlan(images);
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
            foreach (var blob in plan.Blobs)
            {
                var target = Path.Combine(temporary, blob.Path);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await CopyBlobAsync(blob, target, cancellationToken).ConfigureAwait(false);
            }
            await File.WriteAllBytesAsync(Path.Combine(temporary, OciLayoutReader.IndexFile), OciLayoutPlan.IndexBytes(plan.Manifests), cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (Directory.Exists(directory)) Directory.Delete(directory);
            Directory.Move(temporary, directory);
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
    /// and platform as an added image are replaced. On failure, the blobs added are removed again.
    /// </summary>
    private static async Task AddToExistingAsync(string directory, OciLayoutPlan plan, CancellationToken cancellationToken)
    {
        var contents = new DirectoryContents(directory);
        var indexRegion = contents.Locate(OciLayoutReader.IndexFile, "an OCI image layout");
        var index = ArchiveJsonContext.Parse(
            await ArchiveContents.ReadAllAsync(indexRegion, null, -1, cancellationToken).ConfigureAwait(false),
            ManifestJsonContext.Documents.ImageIndex, indexRegion.What);
        var added = new List<string>();
        try
        {
            foreach (var blob in plan.Blobs)
            {
                var target = Path.Combine(directory, blob.Path);
                if (File.Exists(target) && new FileInfo(target).Length == blob.Size) continue;
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await CopyBlobAsync(blob, target, cancellationToken).ConfigureAwait(false);
                added.Add(target);
            }
            var kept = index.Manifests.Where(m => !plan.Manifests.Any(n => SameReference(m, n)));
            var bytes = OciLayoutPlan.IndexBytes(kept.Concat(plan.Manifests));
            await AtomicOutput.CopyToFileAsync(new MemoryStream(bytes), indexRegion.File, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            foreach (var path in added) AtomicOutput.TryDelete(path);
            throw;
        }
    }

    private static bool SameReference(Descriptor existing, Descriptor added)
    {
        static string? Ref(Descriptor d) => d.Annotations?.GetValueOrDefault(OciLayoutReader.RefNameAnnotation);
        return Ref(added) is { } reference && Ref(existing) == reference
            && (existing.Platform is null || added.Platform is null || existing.Platform.Matches(added.Platform));
    }

    private static async Task CopyBlobAsync(OciLayoutPlan.Blob blob, string target, CancellationToken cancellationToken)
    {
        var source = await blob.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            await AtomicOutput.CopyToFileAsync(source, target, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes an oci-archive: <c>oci-layout</c> and <c>index.json</c> first, then the blobs.</summary>
    public static Task WriteArchiveAsync(string path, IReadOnlyList<Image> images, CancellationToken cancellationToken)
    {
        var plan = new OciLayoutPlan(images);
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
