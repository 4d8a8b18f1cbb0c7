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
        return Parallel.ForEachAsync(distinct, options, async (blob, ct) => await MoveOnceAsync(destination, repository, blob, progress, ct).ConfigureAwait(false));
    }

    /// <summary>
    /// Moves a blob unless this client is already moving it into the same repository (concurrent
    /// pushes of images that share layers): then waits for that move and checks again. Two uploads
    /// of one blob that finish together make distribution rewrite the repository's link file
    /// while a manifest PUT reads it, which it answers with 400 DIGEST_INVALID.
    /// </summary>
    private static async Task MoveOnceAsync(Registry destination, string repository, BlobSource blob, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var key = (repository, blob.Descriptor.Digest);
        while (true)
        {
            var mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var running = destination.BlobsInFlight.GetOrAdd(key, mine.Task);
            if (running != mine.Task)
            {
                await running.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }
            try
            {
                await MoveOneAsync(destination, repository, blob, progress, cancellationToken).ConfigureAwait(false);
                return;
            }
            finally
            {
                destination.BlobsInFlight.TryRemove(new KeyValuePair<(string, Digest), Task>(key, mine.Task));
                mine.SetResult();
            }
        }
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
