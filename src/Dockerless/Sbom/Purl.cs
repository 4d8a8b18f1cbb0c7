using System.Text;

namespace Dockerless.Sbom;

/// <summary>Package URLs (github.com/package-url/purl-spec): <c>pkg:TYPE/NAMESPACE/NAME@VERSION?QUALIFIERS</c>, each part percent-encoded.</summary>
internal static class Purl
{
    public static string Of(string type, string? space, string name, string version, params (string Key, string? Value)[] qualifiers)
    {
        var purl = new StringBuilder("pkg:").Append(type).Append('/');
        if (!string.IsNullOrEmpty(space)) purl.Append(Encode(space)).Append('/');
        purl.Append(Encode(name)).Append('@').Append(Encode(version));
        var given = qualifiers.Where(q => !string.IsNullOrEmpty(q.Value)).OrderBy(q => q.Key, StringComparer.Ordinal).ToList();
        if (given.Count > 0) purl.Append('?').AppendJoin('&', given.Select(q => $"{q.Key}={Encode(q.Value!)}"));
        return purl.ToString();
    }

    private static string Encode(string part) => Uri.EscapeDataString(part);
}
