namespace Dockerless.Distribution;

/// <summary>Where a blob lives: a registry (this process's client for it) and a repository in it.</summary>
internal sealed record BlobOrigin(Registry Registry, string Repository);

/// <summary>
/// A layer that lives in a registry: its descriptor and origin, nothing fetched until
/// <see cref="OpenAsync"/> streams it (each open is one verified download, or a read of the
/// blob cache). <see cref="FetchAsync"/> downloads it once into a local file (an eager pull),
/// after which it opens from there.
/// </summary>
internal sealed class RemoteLayer(BlobOrigin origin, Descriptor descriptor, Digest diffId) : Layer
{
    private string? _localPath;
    private bool _ownsLocalFile;

    public override Digest DiffId => diffId;
    public override Digest Digest => descriptor.Digest;
    public override long Size => descriptor.Size;
    public override string MediaType => descriptor.MediaType;
    public override IReadOnlyList<string>? Urls => descriptor.Urls;
    public override bool IsLocal => _localPath is not null;
    internal override BlobOrigin? Origin => origin;

    public override Task<Stream> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (_localPath is { } path)
        {
            Stream file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true);
            return Task.FromResult<Stream>(new HashingStream(file, Digest, Size, $"layer {Digest}"));
        }
        return origin.Registry.OpenBlobAsync(origin.Repository, descriptor, cancellationToken);
    }

    /// <summary>Downloads the blob into the blob cache, or a temporary file this layer deletes when disposed.</summary>
    public async Task FetchAsync(CancellationToken cancellationToken)
    {
        if (_localPath is not null) return;
        var (path, owned) = await origin.Registry.DownloadBlobAsync(origin.Repository, descriptor, cancellationToken).ConfigureAwait(false);
        (_localPath, _ownsLocalFile) = (path, owned);
    }

    public override ValueTask DisposeAsync()
    {
        if (_ownsLocalFile && _localPath is { } path) File.Delete(path);
        _localPath = null;
        return base.DisposeAsync();
    }
}
