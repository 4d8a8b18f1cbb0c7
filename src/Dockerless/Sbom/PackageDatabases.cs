using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Dockerless.Sbom;

/// <summary>Which files of an image list packages, and what they list.</summary>
internal static partial class PackageDatabases
{
    public const string OsReleasePath = "etc/os-release";
    public const string LibOsReleasePath = "usr/lib/os-release";

    /// <summary>Whether the file at <paramref name="path"/> (relative, no leading '/') is read for packages.</summary>
    public static bool IsWanted(string path)
        => path is OsReleasePath or LibOsReleasePath or "var/lib/dpkg/status" or "lib/apk/db/installed"
            || IsDpkgStatusDirectory(path) || path.EndsWith(".deps.json", StringComparison.Ordinal)
            || NpmPackage().IsMatch(path) || PythonMetadata().IsMatch(path);

    /// <summary>Whether the file at <paramref name="path"/> is a package database this version does not read (an rpm database).</summary>
    public static bool IsUnread(string path) => path is "var/lib/rpm/rpmdb.sqlite" or "var/lib/rpm/Packages" or "var/lib/rpm/Packages.db" or "usr/lib/sysimage/rpm/rpmdb.sqlite";

    private static bool IsDpkgStatusDirectory(string path)
        => path.StartsWith("var/lib/dpkg/status.d/", StringComparison.Ordinal) && path.IndexOf('/', "var/lib/dpkg/status.d/".Length) < 0 && !path.EndsWith(".md5sums", StringComparison.Ordinal);

    /// <summary>A package's own package.json: right under node_modules/NAME or node_modules/@SCOPE/NAME.</summary>
    [GeneratedRegex(@"(^|/)node_modules/(@[^/]+/)?[^/@][^/]*/package\.json$")]
    private static partial Regex NpmPackage();

    /// <summary>A Python distribution's metadata: a wheel's dist-info/METADATA, an egg-info/PKG-INFO, or an egg-info file.</summary>
    [GeneratedRegex(@"(^|/)[^/]+(\.dist-info/METADATA|\.egg-info/PKG-INFO|\.egg-info)$")]
    private static partial Regex PythonMetadata();

    /// <summary>The packages <paramref name="path"/> lists; a file that cannot be read as its kind adds a note and no package.</summary>
    public static IEnumerable<SoftwarePackage> Read(string path, byte[] bytes, OsRelease os, List<string> notes)
    {
        var location = "/" + path;
        var text = Encoding.UTF8.GetString(bytes);
        try
        {
            if (path == "var/lib/dpkg/status" || IsDpkgStatusDirectory(path)) return Dpkg(text, location, os);
            if (path == "lib/apk/db/installed") return Apk(text, location, os);
            if (path.EndsWith(".deps.json", StringComparison.Ordinal)) return DepsJson(bytes, location);
            if (NpmPackage().IsMatch(path)) return Npm(bytes, location);
            if (PythonMetadata().IsMatch(path)) return Python(text, location);
        }
        catch (JsonException e)
        {
            notes.Add($"{location}: not valid JSON ({e.Message}); skipped");
        }
        return [];
    }

    private static List<SoftwarePackage> Dpkg(string text, string location, OsRelease os)
        => [.. PackageText.Paragraphs(text)
            .Where(p => !p.TryGetValue("Status", out var status) || status.EndsWith(" installed", StringComparison.Ordinal))
            .Where(p => p.ContainsKey("Package") && p.ContainsKey("Version"))
            .Select(p => new SoftwarePackage("deb", p["Package"], p["Version"],
                Purl.Of("deb", os.Id ?? "debian", p["Package"], p["Version"], ("arch", p.GetValueOrDefault("Architecture")), ("distro", os.Distro)),
                location))];

    private static List<SoftwarePackage> Apk(string text, string location, OsRelease os)
        => [.. PackageText.Paragraphs(text)
            .Where(p => p.ContainsKey("P") && p.ContainsKey("V"))
            .Select(p => new SoftwarePackage("apk", p["P"], p["V"],
                Purl.Of("apk", os.Id ?? "alpine", p["P"], p["V"], ("arch", p.GetValueOrDefault("A")), ("distro", os.Distro)),
                location, p.GetValueOrDefault("L")))];

    /// <summary>A .NET application's NuGet packages: the <c>libraries</c> of type <c>package</c>, keyed NAME/VERSION.</summary>
    private static List<SoftwarePackage> DepsJson(byte[] bytes, string location)
    {
        using var document = JsonDocument.Parse(bytes);
        if (!document.RootElement.TryGetProperty("libraries", out var libraries) || libraries.ValueKind != JsonValueKind.Object) return [];
        var packages = new List<SoftwarePackage>();
        foreach (var library in libraries.EnumerateObject())
        {
            if (library.Value.ValueKind != JsonValueKind.Object || !library.Value.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "package") continue;
            var parts = library.Name.Split('/');
            if (parts.Length != 2) continue;
            packages.Add(new SoftwarePackage("nuget", parts[0], parts[1], Purl.Of("nuget", null, parts[0], parts[1]), location));
        }
        return packages;
    }

    private static List<SoftwarePackage> Npm(byte[] bytes, string location)
    {
        using var document = JsonDocument.Parse(bytes);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || String(root, "name") is not { } name || String(root, "version") is not { } version) return [];
        var scoped = name.StartsWith('@') && name.Contains('/', StringComparison.Ordinal);
        var (space, bare) = scoped ? (name[..name.IndexOf('/', StringComparison.Ordinal)], name[(name.IndexOf('/', StringComparison.Ordinal) + 1)..]) : (null, name);
        return [new SoftwarePackage("npm", name, version, Purl.Of("npm", space, bare, version), location, String(root, "license"))];
    }

    private static List<SoftwarePackage> Python(string text, string location)
    {
        var headers = PackageText.Paragraphs(text).FirstOrDefault();
        if (headers is null || !headers.TryGetValue("Name", out var name) || !headers.TryGetValue("Version", out var version)) return [];
        var normal = PythonName().Replace(name, "-").ToLowerInvariant();
        return [new SoftwarePackage("pypi", name, version, Purl.Of("pypi", null, normal, version), location, headers.GetValueOrDefault("License-Expression") ?? headers.GetValueOrDefault("License"))];
    }

    /// <summary>PEP 503's name normalisation: runs of '-', '_' and '.' are one '-'.</summary>
    [GeneratedRegex("[-_.]+")]
    private static partial Regex PythonName();

    private static string? String(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
