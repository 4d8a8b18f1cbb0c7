namespace Dockerless.Auth;

public sealed partial class DockerCredentialStore
{
    /// <summary>
    /// Logs in as <c>docker login</c> does: checks <paramref name="username"/> and
    /// <paramref name="password"/> against <paramref name="registry"/> (<c>GET /v2/</c>, authorized by
    /// Basic or a token for no particular scope: not the catalog, which Docker Hub and other token
    /// registries refuse to accounts that may log in), then saves them with <see cref="SaveAsync"/>.
    /// <paramref name="connection"/> says how to reach the registry (TLS, proxy, handler); its address
    /// and credential are replaced.
    /// </summary>
    /// <exception cref="RegistryException">The registry refused the credentials (401) or could not be reached.</exception>
    public async Task LoginAsync(string registry, string username, string password, RegistryOptions? connection = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(registry);
        ArgumentException.ThrowIfNullOrEmpty(username);
        ArgumentNullException.ThrowIfNull(password);
        var options = (connection ?? new RegistryOptions()) with { Address = registry, Credential = RegistryCredential.FromPassword(username, password) };
        var client = new Registry(options);
        await using (client.ConfigureAwait(false))
        {
            await client.CheckCredentialsAsync(cancellationToken).ConfigureAwait(false);
        }
        await SaveAsync(registry, username, password, cancellationToken).ConfigureAwait(false);
    }
}
