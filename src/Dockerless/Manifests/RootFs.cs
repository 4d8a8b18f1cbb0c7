using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockerless.Manifests;

/// <summary>
/// The config's <c>rootfs</c>: the layers' diff_ids, base first. Read-only to users, so that it
/// always matches <see cref="Image.Layers"/>: <see cref="Image.AddLayer"/> and
/// <see cref="Image.RemoveLayer"/> change both. Each change is an edit of the configuration
/// (see <see cref="ImageConfiguration"/>).
/// </summary>
public sealed class RootFs
{
    private long _editedAt;
    private List<Digest> _diffIds = [];
    private TrackedDictionary<string, JsonElement>? _extensionData;

    [JsonConstructor]
    internal RootFs()
    {
    }

    /// <summary>Always <c>layers</c>.</summary>
    [JsonPropertyName("type")]
    public string Type { get; set { field = value; Edited(); } } = "layers";

    /// <summary>The sha256 of each uncompressed layer tar, base first.</summary>
    [JsonInclude, JsonPropertyName("diff_ids")]
    public IReadOnlyList<Digest> DiffIds
    {
        get => _diffIds.AsReadOnly();
        internal set
        {
            _diffIds = [.. value ?? throw new JsonException("the config's \"rootfs\" has a null \"diff_ids\"")];
            Edited();
        }
    }

    /// <summary>Fields this version does not know, kept for round trips.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? ExtensionData { get => _extensionData; set { _extensionData = value is null ? null : new(value); Edited(); } }

    /// <summary>The stamp of the latest edit of this object or anything in it (<see cref="EditClock"/>).</summary>
    internal long LastEdit => Math.Max(_editedAt, _extensionData?.LastEdit ?? 0);

    /// <summary>Records a new top layer's diff_id.</summary>
    internal void AddDiffId(Digest diffId)
    {
        _diffIds.Add(diffId);
        Edited();
    }

    /// <summary>Forgets the top layer's diff_id.</summary>
    internal void RemoveTopDiffId()
    {
        _diffIds.RemoveAt(_diffIds.Count - 1);
        Edited();
    }

    private void Edited() => _editedAt = EditClock.Tick();
}
