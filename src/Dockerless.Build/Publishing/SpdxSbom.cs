using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Dockerless.Build.Publishing;

/// <summary>
/// An SPDX 2.3 JSON document of what an app ships: the app, and each NuGet package and project
/// its deps.json names (with its purl and, for packages, the SHA-512 NuGet recorded), each a
/// dependency of the app. Written in one order for the same inputs, so the same publish gives the
/// same bytes.
/// </summary>
public static class SpdxSbom
{
    /// <summary>Writes the document for <paramref name="appName"/> to <paramref name="path"/> (through a temporary file, then renamed).</summary>
    public static async Task WriteAsync(string path, string appName, string appVersion, IReadOnlyList<DepsLibrary> libraries, DateTimeOffset created, Digest imageDigest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(libraries);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                await using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
                Write(writer, appName, appVersion, libraries, created, imageDigest);
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static void Write(Utf8JsonWriter writer, string appName, string appVersion, IReadOnlyList<DepsLibrary> libraries, DateTimeOffset created, Digest imageDigest)
    {
        var dependencies = libraries.Where(l => l.Type is "package" or "project" && l.Name != appName)
            .OrderBy(l => l.Name, StringComparer.Ordinal).ThenBy(l => l.Version, StringComparer.Ordinal).ToList();
        writer.WriteStartObject();
        writer.WriteString("spdxVersion", "SPDX-2.3");
        writer.WriteString("dataLicense", "CC0-1.0");
        writer.WriteString("SPDXID", "SPDXRef-DOCUMENT");
        writer.WriteString("name", $"{appName}-{appVersion}");
        writer.WriteString("documentNamespace", $"https://spdx.org/spdxdocs/dockerless-build/{Uri.EscapeDataString(appName)}/{imageDigest.Encoded}");
        writer.WriteStartObject("creationInfo");
        writer.WriteString("created", created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        writer.WriteStartArray("creators");
        writer.WriteStringValue($"Tool: Dockerless.Build-{typeof(SpdxSbom).Assembly.GetName().Version?.ToString(3)}");
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteStartArray("packages");
        WritePackage(writer, "SPDXRef-App", appName, appVersion, null, null);
        for (var i = 0; i < dependencies.Count; i++)
        {
            var library = dependencies[i];
            WritePackage(writer, $"SPDXRef-Package-{i + 1}", library.Name, library.Version, library.Type == "package" ? library.Sha512 : null, library.Type == "package" ? $"pkg:nuget/{library.Name}@{library.Version}" : null);
        }
        writer.WriteEndArray();
        writer.WriteStartArray("relationships");
        WriteRelationship(writer, "SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-App");
        for (var i = 0; i < dependencies.Count; i++) WriteRelationship(writer, "SPDXRef-App", "DEPENDS_ON", $"SPDXRef-Package-{i + 1}");
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WritePackage(Utf8JsonWriter writer, string id, string name, string version, string? sha512, string? purl)
    {
        writer.WriteStartObject();
        writer.WriteString("name", name);
        writer.WriteString("SPDXID", id);
        if (version.Length > 0) writer.WriteString("versionInfo", version);
        writer.WriteString("downloadLocation", "NOASSERTION");
        writer.WriteBoolean("filesAnalyzed", false);
        writer.WriteString("licenseConcluded", "NOASSERTION");
        writer.WriteString("licenseDeclared", "NOASSERTION");
        writer.WriteString("copyrightText", "NOASSERTION");
        if (sha512 is not null && sha512.StartsWith("sha512-", StringComparison.Ordinal) && TryHex(sha512["sha512-".Length..], out var hex))
        {
            writer.WriteStartArray("checksums");
            writer.WriteStartObject();
            writer.WriteString("algorithm", "SHA512");
            writer.WriteString("checksumValue", hex);
            writer.WriteEndObject();
            writer.WriteEndArray();
        }
        if (purl is not null)
        {
            writer.WriteStartArray("externalRefs");
            writer.WriteStartObject();
            writer.WriteString("referenceCategory", "PACKAGE-MANAGER");
            writer.WriteString("referenceType", "purl");
            writer.WriteString("referenceLocator", purl);
            writer.WriteEndObject();
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    private static bool TryHex(string base64, out string hex)
    {
        var bytes = new byte[SHA512.HashSizeInBytes];
        var ok = Convert.TryFromBase64String(base64, bytes, out var written) && written == bytes.Length;
        hex = ok ? Convert.ToHexStringLower(bytes) : "";
        return ok;
    }

    private static void WriteRelationship(Utf8JsonWriter writer, string from, string type, string to)
    {
        writer.WriteStartObject();
        writer.WriteString("spdxElementId", from);
        writer.WriteString("relationshipType", type);
        writer.WriteString("relatedSpdxElement", to);
        writer.WriteEndObject();
    }
}
