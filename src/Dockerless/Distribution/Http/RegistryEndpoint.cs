using System.Net;

namespace Dockerless.Distribution.Http;

/// <summary>
/// Where a registry lives: its host (as docker names it, with the port) and, when the caller
/// wrote one, the scheme. Docker Hub's names (<c>docker.io</c>, <c>index.docker.io</c>,
/// <c>registry-1.docker.io</c>) all mean the API host <c>registry-1.docker.io</c>.
/// </summary>
internal sealed record RegistryEndpoint(string Host, string? ExplicitScheme)
{
    /// <summary>Parses <c>host[:port]</c> or <c>http(s)://host[:port][/]</c>.</summary>
    public static RegistryEndpoint Parse(string address)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        string? scheme = null;
        var host = address.Trim();
        foreach (var prefix in (string[])["https://", "http://"])
        {
            if (host.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                scheme = prefix[..^3].ToLowerInvariant();
                host = host[prefix.Length..];
            }
        }
        host = host.TrimEnd('/');
        if (host.Length == 0 || host.Contains('/', StringComparison.Ordinal) || Uri.CheckHostName(HostOnly(host)) == UriHostNameType.Unknown)
        {
            throw new ArgumentException($"invalid registry address \"{address}\": expected host[:port] or http(s)://host[:port]", nameof(address));
        }
        // The host's form is checked above; a port must also be a number a URI takes (0 to 65535).
        if (!Uri.TryCreate($"http://{host}/", UriKind.Absolute, out _))
        {
            throw new ArgumentException($"invalid registry address \"{address}\": the port is not a number from 0 to 65535", nameof(address));
        }
        host = host.ToLowerInvariant();
        if (host is ImageReference.DockerHub or "index.docker.io") host = ImageReference.DockerHubApiHost;
        return new RegistryEndpoint(host, scheme);
    }

    /// <summary>True for Docker Hub, whose one-component repositories live under <c>library/</c>.</summary>
    public bool IsDockerHub => Host == ImageReference.DockerHubApiHost;

    /// <summary>The registry name as references write it: <c>docker.io</c> for Docker Hub, else the host.</summary>
    public string Name => IsDockerHub ? ImageReference.DockerHub : Host;

    /// <summary>True for <c>localhost</c>, 127.0.0.0/8 and ::1, where docker allows plain HTTP.</summary>
    public bool IsLoopback
    {
        get
        {
            var host = HostOnly(Host);
            return host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
        }
    }

    /// <summary>The base URI of the API for <paramref name="scheme"/>: <c>scheme://host/</c>.</summary>
    public Uri BaseUri(string scheme) => new($"{scheme}://{Host}/");

    /// <summary>True when <paramref name="uri"/> is on this registry (by either scheme), not on an origin it redirected to.</summary>
    public bool Serves(Uri? uri) => uri is not null && RedirectHandler.SameOrigin(uri, BaseUri(uri.Scheme));

    /// <summary>The host without its port.</summary>
    private static string HostOnly(string hostAndPort)
    {
        if (hostAndPort.StartsWith('['))
        {
            var end = hostAndPort.IndexOf(']', StringComparison.Ordinal);
            return end < 0 ? hostAndPort : hostAndPort[..(end + 1)];
        }
        var colon = hostAndPort.LastIndexOf(':');
        return colon < 0 ? hostAndPort : hostAndPort[..colon];
    }
}
