namespace Dockerless.Auth;

/// <summary>Where the registry client finds credentials for a registry.</summary>
public interface ICredentialStore
{
    /// <summary>
    /// The credentials for <paramref name="registry"/> (a host with optional port, such as
    /// <c>127.0.0.1:5000</c> or <c>docker.io</c>; a URL is reduced to its host), or null when none are configured.
    /// </summary>
    Task<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken);
}
