namespace Dockerless.Distribution;

/// <summary>A blob to bring into a repository: its descriptor, where it lives (if in a registry) and how to read it.</summary>
internal sealed record BlobSource(Descriptor Descriptor, BlobOrigin? Origin, Func<CancellationToken, Task<Stream>> Open);

/// <summary>
/// Brings blobs into one repository of a destination registry, each once however many layers or
/// platforms share it, several at a time: skipped when a HEAD finds it, mounted when it lives in
/// another repository of the same registry, else streamed from its source.
/// </summary>
internal static class BlobMover
{
    public static Task MoveAsync(Registry destination, string repository, IEnumerable<BlobSource> blobs, int parallelism, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var distinct = blobs.Where(b => !MediaTypes.IsForeignLayer(b.Descriptor.MediaType)).DistinctBy(b => b.Descriptor.Digest).ToList();
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken };
        return Parallel.ForEachAsync(distinct, options, async (blob, ct) => await MoveOneAsync(destination, repository, blob, progress, ct).ConfigureAwait(false));
    }

    private static async Task MoveOneAsync(Registry destination, string repository, BlobSource blob, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var digest = blob.Descriptor.Digest;
        if (await destination.Api.BlobExistsAsync(repository, digest, cancellationToken).ConfigureAwait(false))
        {
            progress?.Report(new TransferProgress(digest, blob.Descriptor.Size, blob.Descriptor.Size));
            return;
        }
        Uri? session = null;
        if (blob.Origin is { } origin && origin.Registry.IsSameRegistry(destination) && origin.Repository != repository)
        {
            var (mounted, fallback) = await destination.Uploader.TryMountAsync(repository, digest, origin.Repository, cancellationToken).ConfigureAwait(false);
            if (mounted)
            {
                progress?.Report(new TransferProgress(digest, blob.Descriptor.Size, blob.Descriptor.Size));
                return;
            }
            session = fallback;
        }
        await destination.Uploader.UploadAsync(repository, blob.Descriptor, blob.Open, session, progress, cancellationToken).ConfigureAwait(false);
    }
}
