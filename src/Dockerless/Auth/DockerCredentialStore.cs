using System.Text.Json.Nodes;

namespace Dockerless.Auth;

/// <summary>
/// Finds registry credentials where docker and podman keep them, in this order: explicit
/// credentials; docker's <c>config.json</c> (<c>credHelpers[host]</c>, else <c>credsStore</c>, through
/// <c>docker-credential-NAME get</c>; then the inline <c>auths</c> entry); podman's <c>auth.json</c>.
/// <see cref="SaveAsync"/> and <see cref="EraseAsync"/> change docker's <c>config.json</c> as
/// <c>docker login</c> and <c>docker logout</c> do.
/// </summary>
public sealed partial class DockerCredentialStore : ICredentialStore
{
    private readonly CredentialStoreOptions _options;
    private readonly Func<string, string?> _environment;

    /// <summary>Creates the store; <paramref name="options"/> overrides the default locations.</summary>
    public DockerCredentialStore(CredentialStoreOptions? options = null)
    {
        _options = options ?? new CredentialStoreOptions();
        _environment = _options.Environment ?? Environment.GetEnvironmentVariable;
    }

    /// <summary>The path of docker's <c>config.json</c>.</summary>
    public string DockerConfigPath
    {
        get
        {
            var directory = _options.DockerConfigDirectory ?? NonEmpty(_environment("DOCKER_CONFIG")) ?? Path.Combine(Home, ".docker");
            return Path.Combine(directory, "config.json");
        }
    }

    /// <summary>
    /// Podman's auth files, in the order podman reads them: <c>$REGISTRY_AUTH_FILE</c> alone when set;
    /// else <c>$XDG_RUNTIME_DIR/containers/auth.json</c> (for root without it, <c>/run/containers/0/auth.json</c>),
    /// then the older <c>$XDG_CONFIG_HOME/containers/auth.json</c> (<c>~/.config/containers/auth.json</c>).
    /// </summary>
    public IReadOnlyList<string> PodmanAuthFiles
    {
        get
        {
            if (_options.PodmanAuthFiles is { } files) return files;
            if (NonEmpty(_environment("REGISTRY_AUTH_FILE")) is { } explicitFile) return [explicitFile];
            var found = new List<string>();
            if (NonEmpty(_environment("XDG_RUNTIME_DIR")) is { } runtime) found.Add(Path.Combine(runtime, "containers", "auth.json"));
            else if (_options.IsRoot ?? Environment.IsPrivilegedProcess) found.Add("/run/containers/0/auth.json");
            var configHome = NonEmpty(_environment("XDG_CONFIG_HOME")) ?? Path.Combine(Home, ".config");
            found.Add(Path.Combine(configHome, "containers", "auth.json"));
            return found;
        }
    }

    /// <inheritdoc/>
    public async Task<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(registry);
        if (_options.Explicit is { } given && RegistryKeys.Find(given.Keys, registry) is { } explicitKey && !given[explicitKey].IsEmpty)
        {
            return given[explicitKey];
        }

        var docker = await FromAuthFileAsync(DockerConfigPath, registry, cancellationToken).ConfigureAwait(false);
        if (docker is not null) return docker;

        foreach (var file in PodmanAuthFiles)
        {
            var podman = await FromAuthFileAsync(file, registry, cancellationToken).ConfigureAwait(false);
            if (podman is not null) return podman;
        }
        return null;
    }

    private async Task<RegistryCredential?> FromAuthFileAsync(string path, string registry, CancellationToken cancellationToken)
    {
        var root = await AuthFile.LoadAsync(path, cancellationToken).ConfigureAwait(false);
        if (root is null) return null;
        if (AuthFile.HelperFor(root, registry) is { } helperName)
        {
            var fromHelper = await Helper(helperName).GetAsync(HelperServerUrl(root, registry), cancellationToken).ConfigureAwait(false);
            if (fromHelper is not null) return fromHelper;
        }
        return AuthFile.ReadEntry(root, registry, path);
    }

    /// <summary>
    /// The server URL to give a helper: the <c>auths</c> key docker wrote for this registry when
    /// there is one (helpers store under that exact string), else the key <c>docker login</c> would write.
    /// </summary>
    private static string HelperServerUrl(JsonObject root, string registry)
        => (AuthFile.Auths(root) is { } auths ? RegistryKeys.Find(auths.Select(p => p.Key), registry) : null) ?? RegistryKeys.DockerKey(registry);

    private string Home => NonEmpty(_environment("HOME")) ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    private CredentialHelper Helper(string name) => new(name, _environment("PATH"));

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
