namespace Dockerless.Auth;

/// <summary>
/// Where <see cref="DockerCredentialStore"/> looks. Every member defaults to what docker and podman
/// use (null), so that a program reads and writes the same files as they do.
/// </summary>
public sealed record CredentialStoreOptions
{
    /// <summary>Credentials given explicitly (by the caller of the registry client), keyed by registry; they win over every file.</summary>
    internal IReadOnlyDictionary<string, RegistryCredential>? Explicit { get; init; }

    /// <summary>The directory holding docker's <c>config.json</c>; default <c>$DOCKER_CONFIG</c>, else <c>~/.docker</c>.</summary>
    public string? DockerConfigDirectory { get; init; }

    /// <summary>
    /// Podman's auth files, in order; default <c>$REGISTRY_AUTH_FILE</c> when set, else
    /// <c>$XDG_RUNTIME_DIR/containers/auth.json</c> (for root without it <c>/run/containers/0/auth.json</c>)
    /// and <c>~/.config/containers/auth.json</c>.
    /// </summary>
    public IReadOnlyList<string>? PodmanAuthFiles { get; init; }

    /// <summary>Reads an environment variable; default <see cref="Environment.GetEnvironmentVariable(string)"/>.</summary>
    internal Func<string, string?>? Environment { get; init; }

    /// <summary>Whether the process runs as root (podman's <c>/run/containers/0</c> default); default <see cref="System.Environment.IsPrivilegedProcess"/>.</summary>
    internal bool? IsRoot { get; init; }
}
