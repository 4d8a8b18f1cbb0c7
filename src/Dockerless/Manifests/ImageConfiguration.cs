using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockerless.Manifests;

/// <summary>
/// The image configuration document (OCI image-spec "config", Docker image spec v1.2): platform,
/// creation time, history, rootfs diff_ids, and the runtime <see cref="ContainerConfig"/>.
/// </summary>
public sealed class ImageConfiguration : IJsonOnDeserialized
{
    /// <summary>When the image was created (RFC 3339).</summary>
    [JsonIgnore] public DateTimeOffset? Created { get => CreatedTime?.Value; set => CreatedTime = Rfc3339Time.Keep(CreatedTime, value); }

    /// <summary><see cref="Created"/> as written: the config's own text while the time is unchanged.</summary>
    [JsonInclude, JsonPropertyName("created"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] internal Rfc3339Time? CreatedTime { get; set; }

    /// <summary>Who created the image.</summary>
    [JsonPropertyName("author"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Author { get; set; }

    /// <summary>The CPU architecture.</summary>
    [JsonPropertyName("architecture")] public string Architecture { get; set; } = "amd64";

    /// <summary>The CPU variant, if any.</summary>
    [JsonPropertyName("variant"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Variant { get; set; }

    /// <summary>The operating system.</summary>
    [JsonPropertyName("os")] public string Os { get; set; } = "linux";

    /// <summary>The OS version, if any.</summary>
    [JsonPropertyName("os.version"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? OsVersion { get; set; }

    /// <summary>OS features, if any.</summary>
    [JsonPropertyName("os.features"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public List<string>? OsFeatures { get; set; }

    /// <summary>The platform these fields describe, as a new value (editing the config later does not change it).</summary>
    internal Platform Platform => new()
    {
        Os = Os,
        Architecture = Architecture,
        Variant = Variant,
        OsVersion = OsVersion,
        OsFeatures = OsFeatures is { } features ? [.. features] : null,
    };

    /// <summary>The runtime configuration of containers made from the image.</summary>
    [JsonPropertyName("config")] public ContainerConfig Config { get; set; } = new();

    /// <summary>The layers' diff_ids, base first.</summary>
    [JsonInclude, JsonPropertyName("rootfs")] public RootFs RootFs { get; internal set; } = new();

    /// <summary>
    /// One entry per build step, base first; entries with <c>empty_layer</c> made no layer. Empty
    /// when the config has none; an empty history is not written (as Go's <c>omitempty</c> in Docker
    /// and the OCI libraries), so reading it, or emptying it again, never adds <c>"history": []</c>.
    /// Setting null empties it.
    /// </summary>
    [JsonIgnore]
    public List<HistoryEntry> History { get => _history; set => _history = value ?? []; }

    private List<HistoryEntry> _history = [];

    /// <summary>The history as written: absent when empty, for the reason on <see cref="History"/>.</summary>
    [JsonInclude, JsonPropertyName("history"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal List<HistoryEntry>? WrittenHistory { get => _history.Count == 0 ? null : _history; set => History = value!; }

    /// <summary>Fields this version does not know (Docker's container_config, docker_version, ...), kept for round trips.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>
    /// JSON nulls: an optional object written as null (<c>"config": null</c>, <c>"Env": null</c>,
    /// as some tools do) reads as empty; a null where the format needs a value is a format error.
    /// </summary>
    void IJsonOnDeserialized.OnDeserialized()
    {
        Config ??= new();
        Config.Env ??= [];
        if (Architecture is null || Os is null) throw new JsonException("the config's \"architecture\" or \"os\" is null");
        if (RootFs is null) throw new JsonException("the config's \"rootfs\" is null");
        if (History.Contains(null!)) throw new JsonException("the config's \"history\" holds a null");
    }

    /// <summary>Parses config bytes; a bad document is an <see cref="InvalidImageFormatException"/> naming <paramref name="source"/>.</summary>
    internal static ImageConfiguration Parse(byte[] bytes, string source)
        => ManifestJsonContext.Parse(bytes, ManifestJsonContext.Documents.ImageConfiguration, source, "image config");
}
