using System.Globalization;
using System.Text.Json;

namespace Dockerless.Sbom;

/// <summary>
/// SPDX 2.3 JSON (spdx.github.io/spdx-spec/v2.3): the image as the described package, CONTAINS
/// each package found, each with its purl as a PACKAGE-MANAGER external reference.
/// </summary>
internal static class SpdxDocument
{
    private const string ImageId = "SPDXRef-Image";

    public static Task WriteAsync(SoftwareBillOfMaterials sbom, Stream destination, CancellationToken cancellationToken)
        => IndentedJson.WriteAsync(destination, json => Write(json, sbom), cancellationToken);

    private static void Write(Utf8JsonWriter json, SoftwareBillOfMaterials sbom)
    {
        json.WriteStartObject();
        json.WriteString("spdxVersion", "SPDX-2.3");
        json.WriteString("dataLicense", "CC0-1.0");
        json.WriteString("SPDXID", "SPDXRef-DOCUMENT");
        json.WriteString("name", sbom.Name);
        json.WriteString("documentNamespace", $"https://dockerless.invalid/spdx/{SoftwareBillOfMaterials.StableId(sbom.Name, 8)}-{sbom.ImageDigest.Encoded}");
        json.WriteStartObject("creationInfo");
        json.WriteString("created", sbom.Created.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        json.WriteStartArray("creators");
        json.WriteStringValue($"Tool: dockerless-{SoftwareBillOfMaterials.ToolVersion}");
        json.WriteEndArray();
        if (sbom.Notes.Count > 0) json.WriteString("comment", string.Join("; ", sbom.Notes));
        json.WriteEndObject();
        json.WriteStartArray("documentDescribes");
        json.WriteStringValue(ImageId);
        json.WriteEndArray();
        json.WriteStartArray("packages");
        WriteImage(json, sbom);
        var ids = new List<string>();
        foreach (var package in sbom.Packages)
        {
            var id = $"SPDXRef-Package-{package.Type}-{SoftwareBillOfMaterials.StableId(package.Purl + " " + package.Location)}";
            ids.Add(id);
            WritePackage(json, package, id);
        }
        json.WriteEndArray();
        json.WriteStartArray("relationships");
        WriteRelationship(json, "SPDXRef-DOCUMENT", "DESCRIBES", ImageId);
        foreach (var id in ids) WriteRelationship(json, ImageId, "CONTAINS", id);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteImage(Utf8JsonWriter json, SoftwareBillOfMaterials sbom)
    {
        json.WriteStartObject();
        json.WriteString("name", sbom.Name);
        json.WriteString("SPDXID", ImageId);
        json.WriteString("versionInfo", sbom.ImageDigest.ToString());
        json.WriteString("downloadLocation", "NOASSERTION");
        json.WriteBoolean("filesAnalyzed", false);
        json.WriteString("primaryPackagePurpose", "CONTAINER");
        json.WriteStartArray("checksums");
        json.WriteStartObject();
        json.WriteString("algorithm", sbom.ImageDigest.Algorithm.ToUpperInvariant());
        json.WriteString("checksumValue", sbom.ImageDigest.Encoded);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WritePackage(Utf8JsonWriter json, SoftwarePackage package, string id)
    {
        json.WriteStartObject();
        json.WriteString("name", package.Name);
        json.WriteString("SPDXID", id);
        json.WriteString("versionInfo", package.Version);
        json.WriteString("downloadLocation", "NOASSERTION");
        json.WriteBoolean("filesAnalyzed", false);
        json.WriteString("licenseConcluded", "NOASSERTION");
        json.WriteString("licenseDeclared", "NOASSERTION");
        if (package.License is { Length: > 0 } license) json.WriteString("comment", $"declared license: {license}");
        json.WriteString("copyrightText", "NOASSERTION");
        json.WriteString("sourceInfo", $"acquired package info from {package.Location}");
        json.WriteStartArray("externalRefs");
        json.WriteStartObject();
        json.WriteString("referenceCategory", "PACKAGE-MANAGER");
        json.WriteString("referenceType", "purl");
        json.WriteString("referenceLocator", package.Purl);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteRelationship(Utf8JsonWriter json, string from, string type, string to)
    {
        json.WriteStartObject();
        json.WriteString("spdxElementId", from);
        json.WriteString("relationshipType", type);
        json.WriteString("relatedSpdxElement", to);
        json.WriteEndObject();
    }
}
