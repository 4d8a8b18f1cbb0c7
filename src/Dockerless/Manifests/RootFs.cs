using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockerless.Manifests;

/// <summary>The config's <c>rootfs</c>: the layers' diff_ids, base first.</summary>
public sealed class RootFs
{
    /// <summary>Always <c>layers</c>.</summary>
    [JsonPropertyName("type")] public string Type { get; set; } = "layers";

    /// <summary>The sha256 of each uncompressed layer tar, base first.</summary>
    [JsonPropertyName("diff_ids")] public List<Digest> DiffIds { get; set; } = [];

    /// <summary>Fields this version does not know, kept for round trips.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
