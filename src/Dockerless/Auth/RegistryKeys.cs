namespace Dockerless.Auth;

/// <summary>
/// How docker and podman name a registry in their auth files: the host (<c>127.0.0.1:5000</c>),
/// a URL (<c>https://host</c>, <c>http://host</c>, <c>host/v1/</c>), and for Docker Hub
/// <c>https://index.docker.io/v1/</c> (docker) or <c>docker.io</c> (podman).
/// </summary>
internal static class RegistryKeys
{
    /// <summary>The key docker writes Docker Hub credentials under.</summary>
    public const string DockerHubKey = "https://index.docker.io/v1/";

    /// <summary>
    /// The registry host of <paramref name="keyOrAddress"/>: scheme and path dropped, Docker Hub's
    /// aliases (<c>index.docker.io</c>, <c>registry-1.docker.io</c>) made <c>docker.io</c>, lowercased.
    /// </summary>
    public static string ToHost(string keyOrAddress) => ImageReference.NormalizeRegistry(TypedHost(keyOrAddress).ToLowerInvariant());

    /// <summary>
    /// The host part of <paramref name="keyOrAddress"/> as written: scheme and path dropped, case and
    /// aliases kept, as docker's <c>ConvertToHostname</c> gives it (helpers key secrets by that exact string).
    /// </summary>
    public static string TypedHost(string keyOrAddress)
    {
        var host = keyOrAddress.Trim();
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) host = host[(scheme + 3)..];
        var slash = host.IndexOf('/', StringComparison.Ordinal);
        return slash >= 0 ? host[..slash] : host;
    }

    /// <summary>True when the key has no repository path (only a host, a scheme, or the <c>/v1/</c>, <c>/v2/</c> API roots).</summary>
    public static bool IsHostKey(string key)
    {
        var rest = key.Trim();
        var scheme = rest.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) rest = rest[(scheme + 3)..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0) return true;
        var path = rest[slash..].TrimEnd('/');
        return path is "" or "/v1" or "/v2";
    }

    /// <summary>The key <c>docker login</c> writes for <paramref name="registry"/>.</summary>
    public static string DockerKey(string registry)
    {
        var host = ToHost(registry);
        return host == ImageReference.DockerHub ? DockerHubKey : host;
    }

    /// <summary>
    /// The key among <paramref name="keys"/> that names <paramref name="registry"/>: an exact key
    /// first, then any host-level key for the same host, in file order.
    /// </summary>
    public static string? Find(IEnumerable<string> keys, string registry)
    {
        var host = ToHost(registry);
        string? sameHost = null;
        foreach (var key in keys)
        {
            if (string.Equals(key, registry, StringComparison.OrdinalIgnoreCase) || string.Equals(key, DockerKey(registry), StringComparison.Ordinal)) return key;
            if (sameHost is null && IsHostKey(key) && ToHost(key) == host) sameHost = key;
        }
        return sameHost;
    }

    /// <summary>Every key among <paramref name="keys"/> that names <paramref name="registry"/> at host level.</summary>
    public static IEnumerable<string> FindAll(IEnumerable<string> keys, string registry)
    {
        var host = ToHost(registry);
        return keys.Where(k => IsHostKey(k) && ToHost(k) == host);
    }
}
