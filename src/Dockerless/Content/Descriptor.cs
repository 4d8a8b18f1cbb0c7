using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockerless.Content;

/// <summary>An OCI content descriptor: what a manifest or index says about a blob or manifest.</summary>
public sealed record Descriptor : IJsonOnDeserialized
{
    /// <summary>The media type of the content.</summary>
    [JsonPropertyName("mediaType")] public required string MediaType { get; init; }

    /// <summary>The digest of the content's bytes.</summary>
    [JsonPropertyName("digest")] public required Digest Digest { get; init; }

    /// <summary>The size of the content in bytes.</summary>
    [JsonPropertyName("size")] public required long Size { get; init; }

    /// <summary>Where a non-distributable layer may be fetched from.</summary>
    [JsonPropertyName("urls"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<string>? Urls { get; init; }

    /// <summary>Annotations (for example <c>org.opencontainers.image.ref.name</c> in an OCI layout index).</summary>
    [JsonPropertyName("annotations"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>The platform of a manifest listed in an index.</summary>
    [JsonPropertyName("platform"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Platform? Platform { get; init; }

    /// <summary>The artifact type, for artifacts.</summary>
    [JsonPropertyName("artifactType"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? ArtifactType { get; init; }

    /// <summary>Fields this version does not know, kept so that they survive a round trip.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>JSON nulls where the format needs strings are a format error, not a later NullReferenceException.</summary>
    void IJsonOnDeserialized.OnDeserialized()
    {
        if (MediaType is null) throw new JsonException("a descriptor's \"mediaType\" is null");
        if (Urls is not null && Urls.Contains(null!)) throw new JsonException("a descriptor's \"urls\" holds a null");
        if (Annotations is not null && Annotations.Values.Contains(null!)) throw new JsonException("a descriptor's \"annotations\" holds a null value");
    }
}
