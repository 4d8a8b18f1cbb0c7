using System.Globalization;
using System.Text.Json;

namespace Dockerless.Sbom;

/// <summary>CycloneDX 1.5 JSON (cyclonedx.org/docs/1.5/json): the image as the metadata's container component, each package a library component with its purl.</summary>
internal static class CycloneDxDocument
{
    public static Task WriteAsync(SoftwareBillOfMaterials sbom, Stream destination, CancellationToken cancellationToken)
        => IndentedJson.WriteAsync(destination, json => Write(json, sbom), cancellationToken);

    private static void Write(Utf8JsonWriter json, SoftwareBillOfMaterials sbom)
    {
        json.WriteStartObject();
        json.WriteString("bomFormat", "CycloneDX");
        json.WriteString("specVersion", "1.5");
        json.WriteString("serialNumber", $"urn:uuid:{SerialNumber(sbom)}");
        json.WriteNumber("version", 1);
        json.WriteStartObject("metadata");
        json.WriteString("timestamp", sbom.Created.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        json.WriteStartObject("tools");
        json.WriteStartArray("components");
        json.WriteStartObject();
        json.WriteString("type", "application");
        json.WriteString("name", "dockerless");
        json.WriteString("version", SoftwareBillOfMaterials.ToolVersion);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteStartObject("component");
        json.WriteString("bom-ref", sbom.ImageDigest.ToString());
        json.WriteString("type", "container");
        json.WriteString("name", sbom.Name);
        json.WriteString("version", sbom.ImageDigest.ToString());
        json.WriteEndObject();
        if (sbom.Notes.Count > 0) WriteProperties(json, sbom.Notes.Select(n => ("dockerless:note", n)));
        json.WriteEndObject();
        json.WriteStartArray("components");
        foreach (var package in sbom.Packages)
        {
            json.WriteStartObject();
            json.WriteString("bom-ref", $"{package.Purl}#{SoftwareBillOfMaterials.StableId(package.Location, 8)}");
            json.WriteString("type", "library");
            json.WriteString("name", package.Name);
            json.WriteString("version", package.Version);
            json.WriteString("purl", package.Purl);
            WriteProperties(json, [("dockerless:package:type", package.Type), ("dockerless:location", package.Location)]);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteProperties(Utf8JsonWriter json, IEnumerable<(string Name, string Value)> properties)
    {
        json.WriteStartArray("properties");
        foreach (var (name, value) in properties)
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("value", value);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>A UUID (version 5 layout) made from the image's digest and name: the same image gives the same serial number.</summary>
    private static string SerialNumber(SoftwareBillOfMaterials sbom)
    {
        var hex = SoftwareBillOfMaterials.StableId(sbom.ImageDigest + " " + sbom.Name, 32).ToCharArray();
        hex[12] = '5';
        hex[16] = "89ab"[Convert.ToInt32(hex[16].ToString(), 16) & 3];
        var text = new string(hex);
        return $"{text[..8]}-{text[8..12]}-{text[12..16]}-{text[16..20]}-{text[20..]}";
    }
}
