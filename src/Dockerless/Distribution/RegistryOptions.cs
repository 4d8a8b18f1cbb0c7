using Dockerless.Auth;
using Microsoft.Extensions.Logging;

namespace Dockerless.Distribution;

/// <summary>How a <see cref="Registry"/> connects, authenticates, retries and reports.</summary>
public sealed record RegistryOptions
{
    /// <summary>
    /// The registry: <c>docker.io</c> (the default), <c>127.0.0.1:5000</c>, <c>registry.example.com</c>,
    /// or a URL such as <c>http://127.0.0.1:5000</c>. An explicit <c>http://</c> or <c>https://</c>
    /// always wins; without one HTTPS is used, with a fallback to plain HTTP for loopback hosts
    /// and registries marked <see cref="Insecure"/>.
    /// </summary>
    public string Address { get; init; } = ImageReference.DockerHub;

    /// <summary>
    /// The credential to use; it takes precedence over any stored one. Null reads
    /// <c>DOCKER_CONFIG</c> or <c>~/.docker/config.json</c> (including credential helpers), then
    /// podman's <c>auth.json</c>, and goes anonymous when none of them knows the registry.
    /// </summary>
    public RegistryCredential? Credential { get; init; }

    /// <summary>
    /// Where credentials are looked up when <see cref="Credential"/> is null: a
    /// <see cref="DockerCredentialStore"/> (the default: docker's config and helpers, then podman's
    /// auth files), an <see cref="InMemoryCredentialStore"/>, or a store of your own.
    /// </summary>
    public ICredentialStore? CredentialStore { get; init; }

    /// <summary>
    /// The HTTP transport to send requests through instead of Dockerless's own (a proxy, a test
    /// server, a handler with your certificates). Its TLS and connection settings are then yours:
    /// <see cref="CaBundlePath"/>, <see cref="CertificatesDirectory"/>, <see cref="SkipTlsVerify"/> and
    /// <see cref="ConnectTimeout"/> apply to Dockerless's transport only. It is not disposed with the registry.
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; init; }

    /// <summary>Allows plain HTTP when HTTPS fails, for a registry that is not on loopback.</summary>
    public bool Insecure { get; init; }

    /// <summary>A PEM file of CA certificates trusted in addition to the system's.</summary>
    public string? CaBundlePath { get; init; }

    /// <summary>
    /// Docker's per-registry certificate directory root: <c>DIR/HOST:PORT/ca.crt</c> is trusted for
    /// that registry. Null means <c>/etc/docker/certs.d</c>.
    /// </summary>
    public string? CertificatesDirectory { get; init; }

    /// <summary>Accepts any TLS certificate. Only for tests and throwaway registries.</summary>
    public bool SkipTlsVerify { get; init; }

    /// <summary>
    /// How many blobs move at the same time during a pull, push or copy. In a push or copy this
    /// bounds the blobs sending bytes; blobs the registry is committing, and blobs under 1 MiB,
    /// do not count against it.
    /// </summary>
    public int MaxParallelBlobs { get; init; } = 4;

    /// <summary>Logs one line per HTTP request (method, URL without secrets, status, duration).</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Receives per-blob progress during pulls, pushes and copies.</summary>
    public IProgress<TransferProgress>? Progress { get; init; }

    /// <summary>How many times a request is retried after a connection error, 408, 429 or 5xx.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>
    /// How many times bytes that failed their digest are read again, where nothing has been
    /// handed on yet: twice at most, within <see cref="MaxRetries"/>.
    /// </summary>
    internal int RereadsAfterMismatch => Math.Min(2, MaxRetries);

    /// <summary>The first retry delay; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest single retry delay, including one a <c>Retry-After</c> header asks for.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a TCP and TLS connection may take to open.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a response may keep the client waiting, for its headers or for the next bytes
    /// of its body. A large body may take any time as long as bytes keep coming.
    /// </summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The slowest a response body may arrive, in bytes per second averaged over
    /// <see cref="SpeedWindow"/> (curl's <c>--speed-limit</c>): a registry that drips bytes fails
    /// the transfer instead of keeping it going for days. Zero turns the check off.
    /// </summary>
    public long MinimumSpeed { get; init; } = 1024;

    /// <summary>The window <see cref="MinimumSpeed"/> is averaged over (curl's <c>--speed-time</c>).</summary>
    public TimeSpan SpeedWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Uploads blobs in chunks of this many bytes (raised to the registry's
    /// <c>OCI-Chunk-Min-Length</c>); null uploads each blob in one request.
    /// </summary>
    public long? ChunkSize { get; init; }

    /// <summary>The most pages of a tag list or catalog read by following <c>Link</c>, so an endless one ends in an error saying where it stopped.</summary>
    public int MaxListPages { get; init; } = 10_000;

    /// <summary>The most tags or repositories one listing gives before it stops with an error saying so.</summary>
    public long MaxListEntries { get; init; } = 10_000_000;

    /// <summary>
    /// A directory used as a content-addressed blob cache shared across runs and processes;
    /// blobs are verified when read from it. Null disables the cache.
    /// </summary>
    public string? BlobCacheDirectory { get; init; }
}
