namespace Dockerless.Referrers;

/// <summary>
/// Copies what refers to a copied graph: the referrers of each of its manifests (an index's
/// children too), each as its own graph, by digest, and recursively what refers to those; then
/// cosign's legacy tags of the top, under the same tags. The destination makes each findable from
/// its subject (a layout lists it untagged in index.json; a registry without the referrers API
/// gets the fallback tag index).
/// </summary>
internal static class ReferrersCopy
{
    /// <summary>Copies them; returns how many referrers and legacy tags were copied.</summary>
    public static async Task<int> CopyAsync(ContentStore source, ContentStore target, GraphCopy.Result top, CancellationToken cancellationToken)
    {
        var copied = top.Manifests.Select(m => m.Digest).ToHashSet();
        var subjects = new Queue<Digest>(copied);
        var count = 0;
        while (subjects.TryDequeue(out var subject))
        {
            var referrers = (await source.ListReferrersAsync(subject, null, cancellationToken).ConfigureAwait(false)).Referrers;
            foreach (var referrer in referrers.Where(r => copied.Add(r.Digest)))
            {
                var graph = await GraphCopy.CopyAsync(source, referrer, target, "", null, cancellationToken).ConfigureAwait(false);
                count++;
                foreach (var manifest in graph.Manifests.Where(m => m.Digest == referrer.Digest || copied.Add(m.Digest))) subjects.Enqueue(manifest.Digest);
            }
            if (referrers.Count > 0) await target.RecordReferrersAsync(subject, referrers, cancellationToken).ConfigureAwait(false);
        }
        foreach (var tag in await source.LegacyTagsAsync(top.Digest, cancellationToken).ConfigureAwait(false))
        {
            if (await source.ResolveAsync(tag, cancellationToken).ConfigureAwait(false) is not { } legacy) continue;
            await GraphCopy.CopyAsync(source, legacy, target, "", tag, cancellationToken).ConfigureAwait(false);
            count++;
        }
        return count;
    }
}
