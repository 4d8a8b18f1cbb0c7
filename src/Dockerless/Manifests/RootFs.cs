using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockerless.Manifests;

/// <summary>
/// The config's <c>rootfs</c>: the layers' diff_ids, base first. Read-only to users, so that it
/// always matches <see cref="Image.Layers"/>: <see cref="Image.AddLayer"/> and
/// <see cref="Image.RemoveLayer"/> change both.
/// </summary>
public sealed class RootFs
{
    private List<Digest> _diffIds = [];

    [JsonConstructor]
    internal RootFs()
    {
    }

    /// <summary>Always <c>layers</c>.</summary>
    [JsonPropertyName("type")] public string Type { get; set; } = "layers";

    /// <summary>The sha256 of each uncompressed layer tar, base first.</summary>
    [JsonInclude, JsonPropertyName("diff_ids")]
    public IReadOnlyList<Digest> DiffIds
    {
        get => _diffIds.AsReadOnly();
        internal set => _diffIds = [.. value ?? throw new JsonException("the config's \"rootfs\" has a null \"diff_ids\"")];
    }

    /// <summary>Fields this version does not know, kept for round trips.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>Records a new top layer's diff_id.</summary>
    internal void AddDiffId(Digest diffId) => _diffIds.Add(diffId);

    /// <summary>Forgets the top layer's diff_id.</summary>
    internal void RemoveTopDiffId() => _diffIds.RemoveAt(_diffIds.Count - 1);
}
