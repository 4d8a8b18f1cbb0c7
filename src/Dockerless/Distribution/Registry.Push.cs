
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
    public async Task<Digest> PushImageAsync(Image image, IEnumerable<string>? additionalTags = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Name.Length == 0) throw new ArgumentException("the image has no Name to push it under", nameof(image));
        var repository = RepositoryOf(image.Name);
        var tags = image.Tags.Where(t => t.Length > 0).Concat(additionalTags ?? []).Distinct(StringComparer.Ordinal).ToList();
        if (tags.Count == 0) tags.Add(ImageReference.DefaultTag);
        var configBytes = image.GetConfigBytes();
        var manifest = image.GetManifest(configBytes);
        await BlobMover.MoveAsync(this, repository, BlobsOf(image, configBytes, manifest), _options.MaxParallelBlobs, _options.Progress, cancellationToken).ConfigureAwait(false);
        foreach (var tag in tags)
        {
            await _api.PutManifestAsync(repository, tag, manifest.Bytes, manifest.MediaType, cancellationToken).ConfigureAwait(false);
        }
        return manifest.Digest;
    }

    /// <summary>Puts the manifest or index at <paramref name="reference"/> under <paramref name="newTag"/> too; no blob moves.</summary>
    /// <returns>The digest of the tagged manifest.</returns>
    public async Task<Digest> TagAsync(string name, string reference, string newTag, CancellationToken cancellationToken = default)
    {
        var repository = RepositoryOf(name);
        var manifest = await _api.GetManifestAsync(repository, reference, cancellationToken).ConfigureAwait(false);
        await _api.PutManifestAsync(repository, newTag, manifest.RawBytes, manifest.MediaType, cancellationToken).ConfigureAwait(false);
        return manifest.Digest;
    }

    /// <summary>
    /// Deletes the manifest at <paramref name="reference"/>. A digest deletes that manifest. A tag
    /// is first resolved to its digest and that manifest is deleted, which removes every tag
    /// pointing at it, not only the one given (as <c>skopeo delete</c> does; the distribution API
    /// has no way to remove one tag alone). The registry must allow deletes.
    /// </summary>
    /// <returns>The digest of the deleted manifest.</returns>
    public async Task<Digest> DeleteAsync(string name, string reference, CancellationToken cancellationToken = default)
    {
        var repository = RepositoryOf(name);
        var digest = Digest.TryParse(reference, out var given) ? given : await _api.GetDigestAsync(repository, reference, cancellationToken).ConfigureAwait(false);
        await _api.DeleteManifestAsync(repository, digest, cancellationToken).ConfigureAwait(false);
        return digest;
    }

    /// <summary>Every tag of <paramref name="name"/>, following the registry's <c>Link</c> pages (<paramref name="pageSize"/> asks for <c>n=</c> per page).</summary>
    public Task<IReadOnlyList<string>> ListTagsAsync(string name, int? pageSize = null, CancellationToken cancellationToken = default)
        => _api.ListTagsAsync(RepositoryOf(name), pageSize, cancellationToken);

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
        => _api.ListRepositoriesAsync(pageSize, cancellationToken);
}
