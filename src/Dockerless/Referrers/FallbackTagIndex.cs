using System.Diagnostics;
using System.Text.Json;

namespace Dockerless.Referrers;

/// <summary>
/// Keeps a subject's fallback tag index (see <see cref="ReferrersTag"/>) listing its referrers on a
/// registry without the referrers API: read, add what is missing, write, as the distribution spec
/// says. Writers at once must not lose each other's entries: the PUT carries <c>If-Match</c> with
/// the <c>ETag</c> read where the registry gives one (a 412 starts over), and since registries
/// such as distribution 2.8 ignore it, the index is read again right after the write and once
/// more after a pause longer than a read-add-write cycle, so that a writer who read before this
/// write and wrote after it is seen; any entry missing then is added again.
/// </summary>
internal static class FallbackTagIndex
{
    private const int Attempts = 20;

    /// <summary>Adds <paramref name="referrers"/> of <paramref name="subject"/> to its fallback tag index in <paramref name="repository"/>.</summary>
    public static async Task AddAsync(ReferrersApi api, string repository, Digest subject, IReadOnlyList<Descriptor> referrers, CancellationToken cancellationToken)
    {
        var tag = ReferrersTag.For(subject);
        for (var attempt = 1; ; attempt++)
        {
            var started = Stopwatch.GetTimestamp();
            var current = await api.GetTagIndexAsync(repository, tag, cancellationToken).ConfigureAwait(false);
            var missing = Missing(current, referrers);
            if (missing.Count == 0) return;
            var bytes = Serialize(current?.Index, missing);
            if (await api.PutTagIndexAsync(repository, tag, bytes, current?.ETag, cancellationToken).ConfigureAwait(false)
                && await HoldsAllAsync(api, repository, tag, referrers, cancellationToken).ConfigureAwait(false))
            {
                await Task.Delay(Settle(Stopwatch.GetElapsedTime(started)), cancellationToken).ConfigureAwait(false);
                if (await HoldsAllAsync(api, repository, tag, referrers, cancellationToken).ConfigureAwait(false)) return;
            }
            if (attempt == Attempts)
            {
                throw new RegistryException("put referrers tag", api.Host, repository, null, null,
                    $"{tag}: other clients kept replacing the referrers tag index of {subject}; after {Attempts} attempts it still lacks {missing.Count} of the referrers written");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(10, 40 * attempt)), cancellationToken).ConfigureAwait(false);
        }
    }

    private static List<Descriptor> Missing(ReferrersApi.TagIndex? current, IReadOnlyList<Descriptor> referrers)
        => [.. referrers.Where(r => current is null || !current.Index.Manifests.Any(m => m.Digest == r.Digest)).DistinctBy(r => r.Digest)];

    private static async Task<bool> HoldsAllAsync(ReferrersApi api, string repository, string tag, IReadOnlyList<Descriptor> referrers, CancellationToken cancellationToken)
        => Missing(await api.GetTagIndexAsync(repository, tag, cancellationToken).ConfigureAwait(false), referrers).Count == 0;

    /// <summary>The index with <paramref name="added"/> after its entries; its other fields (annotations, unknown fields) kept.</summary>
    private static byte[] Serialize(IndexManifest? existing, List<Descriptor> added)
    {
        var index = existing is null
            ? new IndexManifest { MediaType = MediaTypes.OciIndex, Manifests = added }
            : existing with { Manifests = [.. existing.Manifests, .. added] };
        return JsonSerializer.SerializeToUtf8Bytes(index, ManifestJsonContext.Documents.IndexManifest);
    }

    /// <summary>Twice the cycle just measured (a concurrent writer's read-add-write takes about as long), at least 100 ms and at most 5 s, with jitter.</summary>
    private static TimeSpan Settle(TimeSpan cycle)
        => TimeSpan.FromMilliseconds(Math.Clamp(2 * cycle.TotalMilliseconds, 100, 5000) + Random.Shared.Next(0, 50));
}
