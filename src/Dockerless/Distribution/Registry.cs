
namespace Dockerless.Distribution;

/// <summary>
/// A client for one registry speaking the OCI distribution API (v2): Docker Hub by default, or
/// any registry by address. It pulls (eagerly or lazily), pushes without downloading what the
/// destination can mount or already has, copies between registries, and manages tags. One
/// instance holds one pooled HTTP client and a token cache: keep it for as long as you use it,
/// and dispose it after the images pulled lazily from it are no longer read.
/// </summary>
public sealed partial class Registry : IAsyncDisposable
{
    private readonly RegistryEndpoint _endpoint;
    private readonly RegistryOptions _options;
    private readonly RegistryHttp _http;
    private readonly RegistryApi _api;
    private readonly BlobUploader _uploader;
    private readonly BlobCache? _cache;

    /// <summary>Docker Hub (<c>registry-1.docker.io</c>, tokens from <c>auth.docker.io</c>), with stored or anonymous credentials.</summary>
    public Registry() : this(new RegistryOptions()) { }

    /// <summary>
    /// The registry at <paramref name="address"/>: <c>127.0.0.1:5000</c>, <c>registry.example.com</c>
    /// or a URL such as <c>http://127.0.0.1:5000</c>, with stored or anonymous credentials.
    /// </summary>
    public Registry(string address) : this(new RegistryOptions { Address = address }) { }

    /// <summary>The registry at <paramref name="address"/>, as <paramref name="username"/> with <paramref name="password"/>.</summary>
    public Registry(string address, string username, string password)
        : this(new RegistryOptions { Address = address, Credential = RegistryCredential.FromPassword(username, password) }) { }

    /// <summary>The registry that <paramref name="options"/> describes.</summary>
    public Registry(RegistryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxParallelBlobs, 1);
        _options = options;
        _endpoint = RegistryEndpoint.Parse(options.Address);
        _http = new RegistryHttp(_endpoint, options);
        _api = new RegistryApi(_http);
        _uploader = new BlobUploader(_api);
        _cache = options.BlobCacheDirectory is { } cache ? new BlobCache(cache) : null;
    }

    /// <summary>The registry as references name it: <c>docker.io</c> for Docker Hub, else <c>host[:port]</c>.</summary>
    public string Host => _endpoint.Name;

    internal RegistryHttp Http => _http;

    internal RegistryApi Api => _api;

    internal BlobUploader Uploader => _uploader;

    /// <summary>How many blobs move at once (<see cref="RegistryOptions.MaxParallelBlobs"/>).</summary>
    internal int MaxParallelBlobs => _options.MaxParallelBlobs;

    /// <summary>Where blob transfers report (<see cref="RegistryOptions.Progress"/>).</summary>
    internal IProgress<TransferProgress>? Progress => _options.Progress;

    /// <summary>Blob moves under way into a repository, so that concurrent pushes through this client move each blob once.</summary>
    internal System.Collections.Concurrent.ConcurrentDictionary<(string Repository, Digest Digest), Task> BlobsInFlight { get; } = new();

    /// <summary>
    /// The reference <paramref name="name"/> (a repository, optionally with a host, tag or digest)
    /// means here, parsed once by <see cref="ImageReference"/>: on this registry when it names no
    /// host (so <c>busybox</c> is <c>library/busybox</c> on Docker Hub only), at
    /// <paramref name="tagOrDigest"/> when the name carries neither. A name outside the distribution
    /// grammar, or one on another registry, is an <see cref="InvalidReferenceException"/>.
    /// </summary>
    internal ImageReference Resolve(string name, string? tagOrDigest = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var reference = ImageReference.Parse(name, Host);
        var inline = reference.Digest is not null || name.LastIndexOf(':') > name.LastIndexOf('/');
        if (!inline && tagOrDigest is not null) reference = ImageReference.Create(name, tagOrDigest, Host);
        RepositoryOf(reference);
        return reference;
    }

    /// <summary>The repository <paramref name="name"/> names here (see <see cref="Resolve"/>).</summary>
    internal string RepositoryOf(string name) => RepositoryOf(Resolve(name));

    /// <summary>The repository of <paramref name="reference"/>, which must be on this registry.</summary>
    internal string RepositoryOf(ImageReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return string.Equals(reference.Registry, Host, StringComparison.OrdinalIgnoreCase) ? reference.Repository
            : throw new InvalidReferenceException(reference.ToString(), $"it names the registry {reference.Registry}, but this client talks to {Host}");
    }

    /// <summary>True when <paramref name="other"/> talks to the same registry, so blobs can be mounted between its repositories.</summary>
    internal bool IsSameRegistry(Registry other) => ReferenceEquals(this, other) || other._endpoint.Host == _endpoint.Host;

    /// <summary>
    /// Opens a blob as a stream that verifies <paramref name="digest"/> when it reaches the end
    /// (and resumes a dropped download with <c>Range</c>).
    /// </summary>
    public async Task<Stream> OpenBlobAsync(string name, Digest digest, CancellationToken cancellationToken = default)
    {
        var repository = RepositoryOf(name);
        var download = await ResumingDownloadStream.OpenAsync(_api, repository, digest, -1, cancellationToken).ConfigureAwait(false);
        return new HashingStream(download, digest, -1, $"blob {Host}/{repository}@{digest}");
    }

    /// <summary>A verifying stream of a blob: from the blob cache when it holds it, else downloaded (and teed into the cache).</summary>
    internal async Task<Stream> OpenBlobAsync(string repository, Descriptor blob, CancellationToken cancellationToken)
    {
        var what = $"blob {Host}/{repository}@{blob.Digest}";
        if (_cache?.TryOpen(blob.Digest, blob.Size, what) is { } cached) return cached;
        var download = await ResumingDownloadStream.OpenAsync(_api, repository, blob.Digest, blob.Size, cancellationToken).ConfigureAwait(false);
        Stream stream = new HashingStream(download, blob.Digest, blob.Size, what);
        if (_cache is not null) stream = _cache.Tee(stream, blob.Digest);
        if (_options.Progress is { } progress) stream = new ProgressStream(stream, blob.Digest, blob.Size, progress);
        return stream;
    }

    /// <summary>
    /// Downloads a blob to local disk once: into the cache (which keeps it), or a temporary file
    /// the caller owns. Either holds verified bytes only.
    /// </summary>
    internal Task<(string Path, bool Owned)> DownloadBlobAsync(string repository, Descriptor blob, CancellationToken cancellationToken)
        => AgainOnMismatchAsync(() => DownloadBlobOnceAsync(repository, blob, cancellationToken));

    /// <summary>
    /// Runs <paramref name="fetch"/> again when the bytes it read fail their digest (see
    /// <see cref="RegistryOptions.RereadsAfterMismatch"/>): they were corrupted on the way, or the
    /// next answer fails the same way. Only for fetches that hand nothing on before they are verified whole.
    /// </summary>
    private async Task<T> AgainOnMismatchAsync<T>(Func<Task<T>> fetch)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await fetch().ConfigureAwait(false);
            }
            catch (DigestMismatchException) when (attempt < _options.RereadsAfterMismatch)
            {
            }
        }
    }

    private async Task<(string Path, bool Owned)> DownloadBlobOnceAsync(string repository, Descriptor blob, CancellationToken cancellationToken)
    {
        var source = await OpenBlobAsync(repository, blob, cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            if (_cache is not null)
            {
                await BlobCopy.DrainAsync(source, cancellationToken).ConfigureAwait(false);
                return (_cache.PathOf(blob.Digest), false);
            }
            var path = Path.Combine(TemporaryFolder.Path, $"dockerless-blob-{Guid.NewGuid():N}.tmp");
            try
            {
                var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
                await using (file.ConfigureAwait(false))
                {
                    await BlobCopy.CopyAsync(source, file, cancellationToken).ConfigureAwait(false);
                }
                return (path, true);
            }
            catch (IOException e) when (TemporaryFolder.IsFull(e))
            {
                File.Delete(path);
                throw TemporaryFolder.Full(TemporaryFolder.Path, e);
            }
            catch
            {
                File.Delete(path);
                throw;
            }
        }
    }

    /// <summary>A small blob (a config) read whole and verified, read again if it arrived damaged.</summary>
    internal Task<byte[]> ReadBlobAsync(string repository, Descriptor blob, CancellationToken cancellationToken)
    {
        const int MaxSize = 64 * 1024 * 1024;
        if (blob.Size > MaxSize) throw new InvalidImageFormatException($"{Host}/{repository}@{blob.Digest}: a config of {blob.Size} bytes is larger than {MaxSize}");
        return AgainOnMismatchAsync(() => ReadBlobOnceAsync(repository, blob, cancellationToken));
    }

    private async Task<byte[]> ReadBlobOnceAsync(string repository, Descriptor blob, CancellationToken cancellationToken)
    {
        var stream = await OpenBlobAsync(repository, blob, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream((int)blob.Size);
            await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer.ToArray();
        }
    }

    /// <summary>Closes the HTTP client. Lazy layers pulled from this registry cannot be read afterwards.</summary>
    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override string ToString() => $"Registry {Host}";
}
