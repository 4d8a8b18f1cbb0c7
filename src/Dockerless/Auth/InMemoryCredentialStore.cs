using System.Collections.Concurrent;

namespace Dockerless.Auth;

/// <summary>
/// Credentials a program holds itself (from its own secrets store, environment or vault), keyed by
/// registry host, looked up as docker looks up its files: Docker Hub's names are one registry.
/// </summary>
public sealed class InMemoryCredentialStore : ICredentialStore
{
    private readonly ConcurrentDictionary<string, RegistryCredential> _credentials = new(StringComparer.Ordinal);

    /// <summary>Sets the credential for <paramref name="registry"/> (<c>127.0.0.1:5000</c>, <c>docker.io</c>, or a URL naming it).</summary>
    public void Set(string registry, RegistryCredential credential)
    {
        ArgumentException.ThrowIfNullOrEmpty(registry);
        ArgumentNullException.ThrowIfNull(credential);
        _credentials[RegistryKeys.ToHost(registry)] = credential;
    }

    /// <summary>Removes the credential for <paramref name="registry"/>; false when there was none.</summary>
    public bool Remove(string registry)
    {
        ArgumentException.ThrowIfNullOrEmpty(registry);
        return _credentials.TryRemove(RegistryKeys.ToHost(registry), out _);
    }

    /// <inheritdoc/>
    public Task<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(registry);
        return Task.FromResult(_credentials.GetValueOrDefault(RegistryKeys.ToHost(registry)));
    }
}
