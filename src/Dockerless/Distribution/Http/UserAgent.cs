using System.Net.Http.Headers;
using System.Reflection;

namespace Dockerless.Distribution.Http;

/// <summary>The User-Agent every request carries: <c>dockerless/VERSION</c>, the package's version.</summary>
internal static class UserAgent
{
    /// <summary>The library's informational version without the source revision the SDK appends (<c>0.2.0+abc123</c>).</summary>
    public static string Version { get; } = (typeof(UserAgent).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];

    public static ProductInfoHeaderValue Product { get; } = new("dockerless", Version);
}
