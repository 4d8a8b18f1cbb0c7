
namespace Dockerless.Distribution;

public sealed partial class Registry
{
    /// <summary>
    /// Pushes <paramref name="image"/> as <c>Name:Tag</c> (every tag in <see cref="Image.Tags"/>,
    /// plus <paramref name="additionalTags"/>; <c>latest</c> when it has none). A registry host in
    /// <see cref="Image.Name"/> must be this registry's. Blobs the repository has are skipped after
    /// a HEAD; layers pulled lazily from this registry are mounted, from another registry
    /// streamed across; nothing is downloaded to disk. An unedited manifest is pushed byte for byte.
    /// </summary>
    /// <returns>The digest of the pushed manifest.</returns>
    public Task<Digest> PushImageAsync(Image image, IEnumerable<string>? additionalTags = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Name.Length == 0) throw new ArgumentException("the image has no Name to push it under", nameof(image));
        return PushAsync(RepositoryOf(image.Name), TagsOf(image.Tags, additionalTags), [WrittenImage.Of(image)], null, cancellationToken);
    }

    /// <summary>
    /// Pushes <paramref name="image"/> as <paramref name="destination"/> alone (its own name and tags
    /// are not used), as <see cref="PushImageAsync(Image, IEnumerable{string}?, CancellationToken)"/> pushes.
    /// </summary>
    /// <returns>The digest of the pushed manifest.</returns>
    public Task<Digest> PushImageAsync(Image image, ImageReference destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        return PushAsync(RepositoryOf(destination), [destination.Identifier], [WrittenImage.Of(image)], null, cancellationToken);
    }

    /// <summary>
    /// Pushes <paramref name="index"/> as <c>Name:Tag</c> of the index (every tag in
    /// <see cref="ImageIndex.Tags"/>, plus <paramref name="additionalTags"/>; <c>latest</c> when it
    /// has none). Every blob moves once however many platforms share it (skipped, mounted or
    /// streamed as for an image); each image's manifest is pushed by digest, then the index under
    /// each tag: byte for byte while unedited (<see cref="ImageIndex.GetRawManifest"/>).
    /// </summary>
    /// <returns>The digest of the pushed index.</returns>
    public Task<Digest> PushIndexAsync(ImageIndex index, IEnumerable<string>? additionalTags = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (index.Name.Length == 0) throw new ArgumentException("the index has no Name to push it under", nameof(index));
        var (document, images) = index.Snapshot();
        return PushAsync(RepositoryOf(index.Name), TagsOf(index.Tags, additionalTags), images, document, cancellationToken);
    }

    /// <summary>Pushes <paramref name="index"/> as <paramref name="destination"/> alone, as <see cref="PushIndexAsync(ImageIndex, IEnumerable{string}?, CancellationToken)"/> pushes.</summary>
    /// <returns>The digest of the pushed index.</returns>
    public Task<Digest> PushIndexAsync(ImageIndex index, ImageReference destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        var (document, images) = index.Snapshot();
        return PushAsync(RepositoryOf(destination), [destination.Identifier], images, document, cancellationToken);
    }

    private static List<string> TagsOf(IEnumerable<string> tags, IEnumerable<string>? additionalTags)
    {
        List<string> all = [.. tags.Where(t => t.Length > 0).Concat(additionalTags ?? []).Distinct(StringComparer.Ordinal)];
        if (all.Count == 0) all.Add(ImageReference.DefaultTag);
        return all;
    }

    /// <summary>
    /// Moves the blobs of <paramref name="images"/> once each, then puts each image's manifest:
    /// under every one of <paramref name="references"/> when it is one image, else by digest and
    /// <paramref name="index"/> under the references.
    /// </summary>
    private async Task<Digest> PushAsync(string repository, IReadOnlyList<string> references, IReadOnlyList<WrittenImage> images, OriginalIndex? index, CancellationToken cancellationToken)
    {
        var blobs = images.SelectMany(i => BlobsOf(i.Image, i.Config, i.Manifest));
        await BlobMover.MoveAsync(this, repository, blobs, _options.MaxParallelBlobs, _options.Progress, cancellationToken).ConfigureAwait(false);
        if (index is null)
        {
            var manifest = images[0].Manifest;
            foreach (var reference in references) await _api.PutManifestAsync(repository, reference, manifest.Bytes, manifest.MediaType, cancellationToken).ConfigureAwait(false);
            return manifest.Digest;
        }
        foreach (var manifest in images.Select(i => i.Manifest).DistinctBy(m => m.Digest))
        {
            await _api.PutManifestAsync(repository, manifest.Digest.ToString(), manifest.Bytes, manifest.MediaType, cancellationToken).ConfigureAwait(false);
        }
        foreach (var reference in references) await _api.PutManifestAsync(repository, reference, index.Bytes, index.MediaType, cancellationToken).ConfigureAwait(false);
        return index.Digest;
    }

    /// <summary>The blobs an image's manifest names: its config (from memory) and its layers (from wherever they live).</summary>
    private static IEnumerable<BlobSource> BlobsOf(Image image, byte[] configBytes, OriginalManifest manifest)
        => image.Layers.Zip(manifest.Manifest.Layers, (layer, descriptor) => new BlobSource(descriptor, layer.Origin, layer.OpenAsync))
            .Prepend(new BlobSource(manifest.Manifest.Config, null, _ => Task.FromResult<Stream>(new MemoryStream(configBytes, writable: false))));

    /// <summary>Puts the manifest or index at <paramref name="reference"/> of <paramref name="name"/> under <paramref name="newTag"/> too; no blob moves.</summary>
    /// <returns>The digest of the tagged manifest.</returns>
    public Task<Digest> TagAsync(string name, string reference, string newTag, CancellationToken cancellationToken = default)
        => TagAsync(Resolve(name, reference), newTag, cancellationToken);

    /// <summary>Puts the manifest or index <paramref name="reference"/> names under <paramref name="newTag"/> too; no blob moves.</summary>
    /// <returns>The digest of the tagged manifest.</returns>
    public async Task<Digest> TagAsync(ImageReference reference, string newTag, CancellationToken cancellationToken = default)
    {
        var repository = RepositoryOf(reference);
        var tagged = reference.WithTag(newTag);
        var manifest = await _api.GetManifestAsync(repository, reference.Identifier, cancellationToken).ConfigureAwait(false);
        await _api.PutManifestAsync(repository, tagged.Tag!, manifest.RawBytes, manifest.MediaType, cancellationToken).ConfigureAwait(false);
        return manifest.Digest;
    }

    /// <summary>Deletes the manifest at <paramref name="reference"/> of <paramref name="name"/>; see <see cref="DeleteAsync(ImageReference, CancellationToken)"/>.</summary>
    /// <returns>The digest of the deleted manifest.</returns>
    public Task<Digest> DeleteAsync(string name, string reference, CancellationToken cancellationToken = default)
        => DeleteAsync(Resolve(name, reference), cancellationToken);

    /// <summary>
    /// Deletes the manifest <paramref name="reference"/> names. A digest deletes that manifest. A
    /// tag is first resolved to its digest and that manifest is deleted, which removes every tag
    /// pointing at it, not only the one given (as <c>skopeo delete</c> does; the distribution API
    /// has no way to remove one tag alone). The registry must allow deletes.
    /// </summary>
    /// <returns>The digest of the deleted manifest.</returns>
    public async Task<Digest> DeleteAsync(ImageReference reference, CancellationToken cancellationToken = default)
    {
        var repository = RepositoryOf(reference);
        var digest = reference.Digest ?? await _api.GetDigestAsync(repository, reference.Identifier, cancellationToken).ConfigureAwait(false);
        await _api.DeleteManifestAsync(repository, digest, cancellationToken).ConfigureAwait(false);
        return digest;
    }

    /// <summary>Every tag of <paramref name="name"/>, following the registry's <c>Link</c> pages (<paramref name="pageSize"/> asks for <c>n=</c> per page).</summary>
    public Task<IReadOnlyList<string>> ListTagsAsync(string name, int? pageSize = null, CancellationToken cancellationToken = default)
        => ListAsync(EnumerateTagsAsync(name, pageSize, cancellationToken));

    /// <summary>
    /// The repository's tags as the registry's pages arrive, for listings too long to hold: at most
    /// <see cref="RegistryOptions.MaxListPages"/> pages and <see cref="RegistryOptions.MaxListEntries"/>
    /// tags, past which a <see cref="RegistryException"/> says where it stopped.
    /// </summary>
    public IAsyncEnumerable<string> EnumerateTagsAsync(string name, int? pageSize = null, CancellationToken cancellationToken = default)
        => _api.EnumerateTagsAsync(RepositoryOf(name), pageSize, cancellationToken);

    /// <summary>The catalog's repositories as the registry's pages arrive, bounded as <see cref="EnumerateTagsAsync"/> is.</summary>
    public IAsyncEnumerable<string> EnumerateRepositoriesAsync(int? pageSize = null, CancellationToken cancellationToken = default)
        => _api.EnumerateRepositoriesAsync(pageSize, cancellationToken);

    private static async Task<IReadOnlyList<string>> ListAsync(IAsyncEnumerable<string> names)
    {
        var all = new List<string>();
        await foreach (var name in names.ConfigureAwait(false)) all.Add(name);
        return all;
    }

    /// <summary>
    /// Checks that the registry answers and takes this client's credentials, as <c>docker login</c>
    /// does: <c>GET /v2/</c>, authorized by Basic or by a token for no particular scope. Throws a
    /// <see cref="RegistryException"/> (401 for refused credentials) otherwise.
    /// </summary>
    public async Task CheckCredentialsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await _http.SendCheckedAsync("check credentials", null,
            b => new HttpRequestMessage(HttpMethod.Get, new Uri(b, "v2/")), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every repository in the registry's catalog, following <c>Link</c> pages (<paramref name="pageSize"/> asks for <c>n=</c> per page).</summary>
    public Task<IReadOnlyList<string>> ListRepositoriesAsync(int? pageSize = null, CancellationToken cancellationToken = default)
        => ListAsync(EnumerateRepositoriesAsync(pageSize, cancellationToken));
}
