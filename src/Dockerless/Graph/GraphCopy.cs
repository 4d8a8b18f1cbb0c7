namespace Dockerless.Graph;

/// <summary>
/// Copies the descriptor graph under one top manifest or index from one store to another as it
/// is: index, children, configs and layers (a subject is not followed), every node byte for byte
/// with its digest, each blob once, children before the indexes that list them. Attestations,
/// artifacts, nested indexes and entries without a platform go along like any other node. Blobs
/// stream from source to destination; only manifests are held in memory.
/// </summary>
internal static class GraphCopy
{
    /// <summary>What a copy wrote: the top's digest, the platforms its index entries name, and every manifest and index (the top last).</summary>
    public sealed record Result(Digest Digest, IReadOnlyList<Platform> Platforms, IReadOnlyList<Descriptor> Manifests);

    /// <summary>Copies the graph under <paramref name="top"/> and names it <paramref name="name"/>:<paramref name="tag"/> in <paramref name="target"/>.</summary>
    public static async Task<Result> CopyAsync(ContentStore source, Descriptor top, ContentStore target, string name, string? tag, CancellationToken cancellationToken)
    {
        var manifests = new List<(Descriptor Descriptor, byte[] Bytes)>();
        var blobs = new Dictionary<Digest, Descriptor>();
        var platforms = new List<Platform>();
        var seen = new HashSet<Digest>();
        await VisitAsync(top, 0).ConfigureAwait(false);

        var origin = source.Origin;
        await target.WriteBlobsAsync([.. blobs.Values.Select(d => new GraphBlob(d, origin, ct => source.OpenBlobAsync(d, ct)))], cancellationToken).ConfigureAwait(false);
        foreach (var (descriptor, bytes) in manifests.SkipLast(1)) await target.WriteManifestAsync(descriptor, bytes, cancellationToken).ConfigureAwait(false);
        await target.TagAsync(top, manifests[^1].Bytes, name, tag, cancellationToken).ConfigureAwait(false);
        await target.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new Result(top.Digest, [.. platforms.Distinct()], [.. manifests.Select(m => m.Descriptor)]);

        async Task VisitAsync(Descriptor node, int depth)
        {
            if (!seen.Add(node.Digest)) return;
            var bytes = await source.ReadManifestAsync(node, cancellationToken).ConfigureAwait(false);
            var what = $"{source.Where}@{node.Digest}";
            // The document's own media type rules where the descriptor's is none a manifest has (go-containerregistry's layouts hold such entries).
            var document = RawManifest.Parse(bytes, IsManifest(node) ? node.MediaType : null, what, node.Digest);
            if (document.Index is { } index)
            {
                if (depth == IndexManifest.MaxNesting) throw IndexManifest.NestsTooDeep(what);
                foreach (var child in index.Manifests)
                {
                    if (child.Platform is { Os: not "unknown" } platform) platforms.Add(platform);
                    if (IsManifest(child)) await VisitAsync(child, depth + 1).ConfigureAwait(false);
                    else blobs.TryAdd(child.Digest, child);
                }
            }
            else
            {
                var manifest = document.Manifest!;
                foreach (var blob in manifest.Layers.Prepend(manifest.Config).Where(b => !MediaTypes.IsForeignLayer(b.MediaType))) blobs.TryAdd(blob.Digest, blob);
            }
            manifests.Add((node, bytes));
        }
    }

    /// <summary>Whether a descriptor is a manifest or index to walk into, rather than a blob.</summary>
    public static bool IsManifest(Descriptor descriptor) => MediaTypes.IsIndex(descriptor.MediaType) || MediaTypes.IsManifest(descriptor.MediaType);
}
