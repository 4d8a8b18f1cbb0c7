namespace Dockerless.Build.Publishing;

/// <summary>
/// The registry clients a publish uses: credentials from docker's config and its helpers (then
/// podman's auth.json), loopback over plain HTTP, and the hosts DOTNET_CONTAINER_INSECURE_REGISTRIES
/// lists (as the SDK reads it: separated by <c>,</c> or <c>;</c>) allowed plain HTTP and
/// unverified certificates too.
/// </summary>
public static class RegistryPools
{
    /// <summary>A pool whose every client reports its transfers to <paramref name="tally"/>.</summary>
    public static RegistryPool Create(UploadTally tally)
    {
        var insecure = (Environment.GetEnvironmentVariable("DOTNET_CONTAINER_INSECURE_REGISTRIES") ?? "")
            .Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new RegistryPool(host => new RegistryOptions { Progress = tally, Insecure = insecure.Contains(host), SkipTlsVerify = insecure.Contains(host) });
    }
}
