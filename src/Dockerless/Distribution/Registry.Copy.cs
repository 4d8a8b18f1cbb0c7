using System.Text.Json;

namespace Dockerless.Distribution;

public sealed partial class Registry
{
    /// <summary>Copies within this registry (blobs are mounted); see <see cref="CopyAsync(string, Registry, string, IReadOnlyList{Platform}?, CancellationToken)"/>.</summary>
    public Task<Digest> CopyAsync(string source, string destination, IReadOnlyList<Platform>? platforms = null, CancellationToken cancellationToken = default)
        => CopyAsync(source, this, destination, platforms, cancellationToken);

    /// <summary>
    /// Copies <paramref name="source"/> (<c>repo:tag</c> or <c>repo@digest</c> here) to
    /// <paramref name="destination"/> in <paramref name="destinationRegistry"/> (<c>repo[:tag]</c>;
    /// without a tag the source's is used); see <see cref="CopyAsync(ImageReference, Registry, ImageReference, IReadOnlyList{Platform}?, CancellationToken)"/>.
    /// </summary>
    public Task<Digest> CopyAsync(string source, Registry destinationRegistry, string destination, IReadOnlyList<Platform>? platforms = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destinationRegistry);
        var from = Resolve(source);
        return CopyAsync(from, destinationRegistry, destinationRegistry.Resolve(destination, from.Identifier), platforms, cancellationToken);
    }

    /// <summary>
    /// Copies what <paramref name="source"/> names here to <paramref name="destination"/> in
    /// <paramref name="destinationRegistry"/>. Manifests keep their exact bytes and digests. An index
    /// is copied whole (nested indexes too) when <paramref name="platforms"/> is null; with one
    /// platform only that platform's manifest is copied; with several, a new index of just those
    /// manifests is made. Within one registry blobs are mounted; across registries they stream
    /// through this process without temporary files. A blob shared by several platforms moves once.
    /// </summary>
    /// <returns>The digest of what the destination reference now points at.</returns>
    /// <exception cref="PlatformNotFoundException">
    /// One of <paramref name="platforms"/> is not offered by the index, or is not the own platform
    /// (its config's) of a plain manifest; nothing is copied then.
    /// </exception>
    public async Task<Digest> CopyAsync(ImageReference source, Registry destinationRegistry, ImageReference destination, IReadOnlyList<Platform>? platforms = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destinationRegistry);
        var sourceRepository = RepositoryOf(source);
        var sourceReference = source.Identifier;
        var targetRepository = destinationRegistry.RepositoryOf(destination);
        var targetReference = destination.Identifier;
        if (platforms is null)
        {
            var from = new Graph.RegistryStore(this, sourceRepository);
            var whole = await from.TopAsync(sourceReference, cancellationToken).ConfigureAwait(false);
            var to = new Graph.RegistryStore(destinationRegistry, targetRepository);
            return (await Graph.GraphCopy.CopyAsync(from, whole, to, "", targetReference, cancellationToken).ConfigureAwait(false)).Digest;
        }
        var top = await _api.GetManifestAsync(sourceRepository, sourceReference, cancellationToken).ConfigureAwait(false);
        var (children, head) = await SelectAsync(sourceRepository, top, platforms, cancellationToken).ConfigureAwait(false);
        var origin = new BlobOrigin(this, sourceRepository);
        var blobs = children.Select(c => c.Manifest).Append(head.Manifest).OfType<ImageManifest>()
            .SelectMany(m => m.Layers.Prepend(m.Config))
            .Select(d => new BlobSource(d, origin, ct => OpenBlobAsync(sourceRepository, d, ct)));
        await BlobMover.MoveAsync(destinationRegistry, targetRepository, blobs, _options.MaxParallelBlobs, _options.Progress, cancellationToken).ConfigureAwait(false);
        foreach (var child in children)
        {
            await destinationRegistry.Api.PutManifestAsync(targetRepository, child.Digest.ToString(), child.RawBytes, child.MediaType, cancellationToken).ConfigureAwait(false);
        }
        await destinationRegistry.Api.PutManifestAsync(targetRepository, targetReference, head.Bytes, head.MediaType, cancellationToken).ConfigureAwait(false);
        return head.Digest;
    }

    /// <summary>
    /// What to copy: the manifests an index refers to (through nested indexes, children before
    /// the index listing them), and the document the destination reference will point at (the
    /// index itself, a narrowed index, or one platform's manifest).
    /// </summary>
    private async Task<(List<RawManifest> Children, (byte[] Bytes, Digest Digest, string MediaType, ImageManifest? Manifest) Head)> SelectAsync(
        string repository, RawManifest top, IReadOnlyList<Platform> platforms, CancellationToken cancellationToken)
    {
        if (top.Index is not { } index)
        {
            await RequireOwnPlatformAsync(repository, top, platforms, cancellationToken).ConfigureAwait(false);
            return ([], (top.RawBytes, top.Digest, top.MediaType, top.Manifest));
        }
        var offered = await ImagesOfIndexAsync(repository, top, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<Descriptor> entries = [.. platforms.Select(p => ChooseOffered(index, offered, p, $"{Host}/{repository}@{top.Digest}")).Distinct()];
        var children = new List<RawManifest>();
        foreach (var entry in entries) children.Add(await GetListedImageAsync(repository, entry, cancellationToken).ConfigureAwait(false));
        if (children.Count == 1) return ([], (children[0].RawBytes, children[0].Digest, children[0].MediaType, children[0].Manifest));
        var narrowed = index with { Manifests = entries };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(narrowed, ManifestJsonContext.Documents.IndexManifest);
        return (children, (bytes, Digest.Compute(bytes), top.MediaType, null));
    }
}
