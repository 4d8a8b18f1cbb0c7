using System.Runtime.ExceptionServices;

namespace Dockerless.Distribution.Blobs;

/// <summary>A blob to bring into a repository: its descriptor, where it lives (if in a registry) and how to read it.</summary>
internal sealed record BlobSource(Descriptor Descriptor, BlobOrigin? Origin, Func<CancellationToken, Task<Stream>> Open);

/// <summary>
/// Brings blobs into one repository of a destination registry, each once however many layers or
/// platforms share it, several at a time, largest first: skipped when a HEAD finds it, mounted
/// when it lives in another repository of the same registry, else streamed from its source.
/// </summary>
internal static class BlobMover
{
    /// <summary>
    /// Below this size a blob's time goes to round trips (HEAD, POST, PUT), not to bytes: it
    /// takes no transfer slot and moves alongside the large ones instead of queuing behind them
    /// and adding its round trips to the end of the push, and it is sent whole in the PUT
    /// (<see cref="BlobUploader"/>).
    /// </summary>
    internal const long SmallBlobSize = 1 << 20;

    /// <summary>
    /// Moves the blobs: large ones with at most <paramref name="parallelism"/> sending bytes at
    /// once and as many more opening their session or waiting for the registry to commit what they
    /// sent (see <see cref="TransferSlot"/>); small ones, <paramref name="parallelism"/> at a time,
    /// meanwhile. The first failure cancels the rest.
    /// </summary>
    public static async Task MoveAsync(Registry destination, string repository, IEnumerable<BlobSource> blobs, int parallelism, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var plan = Plan(blobs);
        var gate = new TransferGate(parallelism);
        using var stopLarge = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopSmall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Exception? firstFailure = null;
        Task[] lanes =
        [
            LaneAsync(plan.Where(b => b.Descriptor.Size >= SmallBlobSize), 2 * parallelism, gate, stopLarge.Token, stopSmall),
            LaneAsync(plan.Where(b => b.Descriptor.Size < SmallBlobSize), parallelism, null, stopSmall.Token, stopLarge),
        ];
        try
        {
            await Task.WhenAll(lanes).ConfigureAwait(false);
        }
        catch when (!cancellationToken.IsCancellationRequested && Volatile.Read(ref firstFailure) is { } cause)
        {
            // Parallel.ForEachAsync reports a lane whose token was cancelled as cancelled, whatever
            // its blobs threw: when both lanes fail at once, each stops the other and neither task
            // carries its failure. The failure that stopped the move is the one to report.
            ExceptionDispatchInfo.Throw(cause);
        }

        // Each lane stops its own blobs when one fails (Parallel.ForEachAsync does) and the other lane too.
        Task LaneAsync(IEnumerable<BlobSource> lane, int workers, TransferGate? slots, CancellationToken stop, CancellationTokenSource stopOther)
            => Parallel.ForEachAsync(lane.Select((blob, rank) => (blob, rank)), new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = stop }, async (planned, ct) =>
            {
                using var slot = new TransferSlot(slots, planned.rank);
                try
                {
                    await MoveOnceAsync(destination, repository, planned.blob, slot, progress, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (!stop.IsCancellationRequested)
                {
                    Interlocked.CompareExchange(ref firstFailure, e, null);
                    await stopOther.CancelAsync().ConfigureAwait(false);
                    throw;
                }
            });
    }

    /// <summary>
    /// Moves a blob unless this client is already moving it into the same repository (concurrent
    /// pushes of images that share layers): then waits for that move and checks again. Two uploads
    /// of one blob that finish together make distribution rewrite the repository's link file
    /// while a manifest PUT reads it, which it answers with 400 DIGEST_INVALID.
    /// </summary>
    private static async Task MoveOnceAsync(Registry destination, string repository, BlobSource blob, TransferSlot slot, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var key = (repository, blob.Descriptor.Digest);
        while (true)
        {
            var mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var running = destination.BlobsInFlight.GetOrAdd(key, mine.Task);
            if (running != mine.Task)
            {
                slot.PassTurn();
                await running.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }
            try
            {
                await MoveOneAsync(destination, repository, blob, slot, progress, cancellationToken).ConfigureAwait(false);
                return;
            }
            finally
            {
                destination.BlobsInFlight.TryRemove(new KeyValuePair<(string, Digest), Task>(key, mine.Task));
                mine.SetResult();
            }
        }
    }

    /// <summary>
    /// What moves, in the order it starts: each digest once, foreign layers never, the largest
    /// first (the longest transfer starts at once rather than last, so it does not run alone at
    /// the end while the other slots sit idle).
    /// </summary>
    internal static List<BlobSource> Plan(IEnumerable<BlobSource> blobs)
        => [.. blobs.Where(b => !MediaTypes.IsForeignLayer(b.Descriptor.MediaType)).DistinctBy(b => b.Descriptor.Digest).OrderByDescending(b => b.Descriptor.Size)];

    private static async Task MoveOneAsync(Registry destination, string repository, BlobSource blob, TransferSlot slot, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var digest = blob.Descriptor.Digest;
        if (await destination.Api.BlobExistsAsync(repository, digest, cancellationToken).ConfigureAwait(false))
        {
            progress?.Report(new TransferProgress(digest, blob.Descriptor.Size, blob.Descriptor.Size) { Reused = true });
            return;
        }
        Uri? session = null;
        if (blob.Origin is { } origin && origin.Registry.IsSameRegistry(destination) && origin.Repository != repository)
        {
            var (mounted, fallback) = await destination.Uploader.TryMountAsync(repository, digest, origin.Repository, cancellationToken).ConfigureAwait(false);
            if (mounted)
            {
                progress?.Report(new TransferProgress(digest, blob.Descriptor.Size, blob.Descriptor.Size) { Reused = true });
                return;
            }
            session = fallback;
        }
        await destination.Uploader.UploadAsync(repository, blob.Descriptor, blob.Open, session, slot, rereadOnMismatch: blob.Origin is not null, progress, cancellationToken).ConfigureAwait(false);
    }
}
