using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockerless.Manifests;

/// <summary>An OCI image index or Docker manifest list: manifests for several platforms.</summary>
public sealed record IndexManifest : IJsonOnDeserialized
{
    /// <summary>How deep indexes may nest (an index listing an index, and so on), in a layout or a registry.</summary>
    internal const int MaxNesting = 4;

    /// <summary>The error for indexes nested deeper than <see cref="MaxNesting"/>; <paramref name="what"/> names where they were found.</summary>
    internal static InvalidImageFormatException NestsTooDeep(string what)
        => new($"{what}: indexes nest more than {MaxNesting} deep");

    /// <summary>Always 2.</summary>
    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; init; } = 2;

    /// <summary>The index's own media type.</summary>
    [JsonPropertyName("mediaType"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? MediaType { get; init; }

    /// <summary>The artifact type, for artifacts.</summary>
    [JsonPropertyName("artifactType"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? ArtifactType { get; init; }

    /// <summary>The manifests, each with its platform.</summary>
    [JsonPropertyName("manifests")] public required IReadOnlyList<Descriptor> Manifests { get; init; }

    /// <summary>The manifest this one refers to (referrers API).</summary>
    [JsonPropertyName("subject"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Descriptor? Subject { get; init; }

    /// <summary>Annotations.</summary>
    [JsonPropertyName("annotations"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>Fields this version does not know, kept so that they survive a round trip.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>A JSON null where the manifest list must be is a format error, not a later NullReferenceException.</summary>
    void IJsonOnDeserialized.OnDeserialized()
    {
        if (Manifests is null || Manifests.Contains(null!)) throw new JsonException("the index's \"manifests\" is null or holds a null");
    }
}
