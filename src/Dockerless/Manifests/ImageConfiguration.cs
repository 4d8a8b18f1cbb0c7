using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockerless.Manifests;

/// <summary>
/// The image configuration document (OCI image-spec "config", Docker image spec v1.2): platform,
/// creation time, history, rootfs diff_ids, and the runtime <see cref="ContainerConfig"/>.
/// Every setter, and every change to one of its lists, sets or dictionaries, here or in the objects
/// it holds, is an edit, even one that sets the value already there: an image whose configuration
/// nobody edited writes its original bytes without serializing the configuration, and an edited
/// one is serialized, giving the original bytes again when the edits undid each other.
/// </summary>
public sealed class ImageConfiguration : IJsonOnDeserialized
{
    private long _editedAt;
    private TrackedList<string>? _osFeatures;
    private TrackedList<HistoryEntry> _history = new();
    private TrackedDictionary<string, JsonElement>? _extensionData;

    /// <summary>When the image was created (RFC 3339).</summary>
    [JsonIgnore] public DateTimeOffset? Created { get => CreatedTime?.Value; set => CreatedTime = Rfc3339Time.Keep(CreatedTime, value); }

    /// <summary><see cref="Created"/> as written: the config's own text while the time is unchanged.</summary>
    [JsonInclude, JsonPropertyName("created"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal Rfc3339Time? CreatedTime { get; set { field = value; Edited(); } }

    /// <summary>Who created the image.</summary>
    [JsonPropertyName("author"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Author { get; set { field = value; Edited(); } }

    /// <summary>The CPU architecture.</summary>
    [JsonPropertyName("architecture")]
    public string Architecture { get; set { field = value; Edited(); } } = "amd64";

    /// <summary>The CPU variant, if any.</summary>
    [JsonPropertyName("variant"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Variant { get; set { field = value; Edited(); } }

    /// <summary>The operating system.</summary>
    [JsonPropertyName("os")]
    public string Os { get; set { field = value; Edited(); } } = "linux";

    /// <summary>The OS version, if any.</summary>
    [JsonPropertyName("os.version"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OsVersion { get; set { field = value; Edited(); } }

    /// <summary>OS features, if any.</summary>
    [JsonPropertyName("os.features"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IList<string>? OsFeatures { get => _osFeatures; set { _osFeatures = value is null ? null : new(value); Edited(); } }

    /// <summary>The platform these fields describe, as a new value (editing the config later does not change it).</summary>
    internal Platform Platform => new()
    {
        Os = Os,
        Architecture = Architecture,
        Variant = Variant,
        OsVersion = OsVersion,
        OsFeatures = OsFeatures is { } features ? [.. features] : null,
    };

    /// <summary>The runtime configuration of containers made from the image. Setting null empties it.</summary>
    [JsonPropertyName("config"), AllowNull]
    public ContainerConfig Config { get; set { field = value ?? new(); Edited(); } } = new();

    /// <summary>The layers' diff_ids, base first.</summary>
    [JsonInclude, JsonPropertyName("rootfs")]
    public RootFs RootFs { get; internal set { field = value; Edited(); } } = new();

    /// <summary>
    /// One entry per build step, base first; entries with <c>empty_layer</c> made no layer. Empty
    /// when the config has none; an empty history is not written (as Go's <c>omitempty</c> in Docker
    /// and the OCI libraries), so reading it, or emptying it again, never adds <c>"history": []</c>.
    /// Setting null empties it.
    /// </summary>
    [JsonIgnore, AllowNull]
    public IList<HistoryEntry> History { get => _history; set { _history = new(value ?? []); Edited(); } }

    /// <summary>The history as written: absent when empty, for the reason on <see cref="History"/>.</summary>
    [JsonInclude, JsonPropertyName("history"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal IList<HistoryEntry>? WrittenHistory { get => _history.Count == 0 ? null : _history; set => History = value; }

    /// <summary>Fields this version does not know (Docker's container_config, docker_version, ...), kept for round trips.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? ExtensionData { get => _extensionData; set { _extensionData = value is null ? null : new(value); Edited(); } }

    /// <summary>The stamp of the latest edit of this configuration or anything in it (<see cref="EditClock"/>).</summary>
    internal long LastEdit
    {
        get
        {
            var latest = EditClock.Latest(_editedAt, _osFeatures?.LastEdit ?? 0, Config.LastEdit, RootFs.LastEdit, _history.LastEdit, _extensionData?.LastEdit ?? 0);
            foreach (var entry in _history) latest = Math.Max(latest, entry?.LastEdit ?? 0);
            return latest;
        }
    }

    /// <summary>
    /// JSON nulls: an optional object written as null (<c>"config": null</c>, <c>"Env": null</c>,
    /// as some tools do) reads as empty; a null where the format needs a value is a format error.
    /// </summary>
    void IJsonOnDeserialized.OnDeserialized()
    {
        if (Architecture is null || Os is null) throw new JsonException("the config's \"architecture\" or \"os\" is null");
        if (RootFs is null) throw new JsonException("the config's \"rootfs\" is null");
        if (History.Contains(null!)) throw new JsonException("the config's \"history\" holds a null");
    }

    /// <summary>Parses config bytes; a bad document is an <see cref="InvalidImageFormatException"/> naming <paramref name="source"/>.</summary>
    internal static ImageConfiguration Parse(byte[] bytes, string source)
        => ManifestJsonContext.Parse(bytes, ManifestJsonContext.Documents.ImageConfiguration, source, "image config");

    private void Edited() => _editedAt = EditClock.Tick();
}
