using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockerless.Manifests;

/// <summary>An OCI image manifest or Docker schema 2 manifest: a config and layers, base first.</summary>
public sealed record ImageManifest : IJsonOnDeserialized
{
    /// <summary>Always 2.</summary>
    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; init; } = 2;

    /// <summary>The manifest's own media type (optional in OCI manifests).</summary>
    [JsonPropertyName("mediaType"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? MediaType { get; init; }

    /// <summary>The artifact type, for artifacts.</summary>
    [JsonPropertyName("artifactType"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? ArtifactType { get; init; }

    /// <summary>The image configuration blob.</summary>
    [JsonPropertyName("config")] public required Descriptor Config { get; init; }

    /// <summary>The layers, base first.</summary>
    [JsonPropertyName("layers")] public required IReadOnlyList<Descriptor> Layers { get; init; }

    /// <summary>The manifest this one refers to (referrers API).</summary>
    [JsonPropertyName("subject"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Descriptor? Subject { get; init; }

    /// <summary>Annotations.</summary>
    [JsonPropertyName("annotations"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>Fields this version does not know, kept so that they survive a round trip.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>A JSON null where a descriptor must be is a format error, not a later NullReferenceException.</summary>
    void IJsonOnDeserialized.OnDeserialized()
    {
        if (Config is null) throw new JsonException("the manifest's \"config\" is null");
        if (Layers is null || Layers.Contains(null!)) throw new JsonException("the manifest's \"layers\" is null or holds a null");
    }
}
