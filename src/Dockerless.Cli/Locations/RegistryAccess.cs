using Dockerless.Auth;

namespace Dockerless.Cli.Locations;

/// <summary>Every registry call of the CLI, in one place (the registry client lands in the registry branch).</summary>
internal static class RegistryAccess
{
    private static DockerlessException Missing(string what) => new($"{what}: this build has no registry client yet");

    public static Task<(byte[] Bytes, Digest Digest)> GetManifestAsync(CliContext context, RegistryLocation location, CancellationToken cancellationToken) => throw Missing(location.Text);

    public static Task CopyAsync(CliContext context, RegistryLocation source, RegistryLocation destination, IReadOnlyList<Platform> platforms, CancellationToken cancellationToken) => throw Missing(source.Text);

    public static Task<Stream> OpenBlobAsync(CliContext context, string reference, CancellationToken cancellationToken) => throw Missing(reference);

    public static Task<IReadOnlyList<string>> ListTagsAsync(CliContext context, string repository, CancellationToken cancellationToken) => throw Missing(repository);

    public static Task<IReadOnlyList<string>> ListRepositoriesAsync(CliContext context, string registry, CancellationToken cancellationToken) => throw Missing(registry);

    public static Task TagAsync(CliContext context, string reference, string tag, CancellationToken cancellationToken) => throw Missing(reference);

    public static Task<Digest> DeleteAsync(CliContext context, string reference, CancellationToken cancellationToken) => throw Missing(reference);

    /// <summary>Stores the credentials in $DOCKER_CONFIG/config.json (or its credsStore), as docker login does.</summary>
    public static Task LoginAsync(CliContext context, string registry, string user, string password, CancellationToken cancellationToken)
        => new DockerCredentialStore().SaveAsync(registry, user, password, cancellationToken);

    /// <summary>Removes the stored credentials; false when there were none.</summary>
    public static Task<bool> LogoutAsync(CliContext context, string registry, CancellationToken cancellationToken)
        => new DockerCredentialStore().EraseAsync(registry, cancellationToken);
}
