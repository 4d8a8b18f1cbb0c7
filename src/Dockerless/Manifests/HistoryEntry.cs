using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockerless.Manifests;

/// <summary>
/// One step of an image's history. Each setter is an edit of every configuration that holds the
/// entry (see <see cref="ImageConfiguration"/>).
/// </summary>
public sealed class HistoryEntry
{
    private long _editedAt;
    private TrackedDictionary<string, JsonElement>? _extensionData;

    /// <summary>When the step ran.</summary>
    [JsonIgnore] public DateTimeOffset? Created { get => CreatedTime?.Value; set => CreatedTime = Rfc3339Time.Keep(CreatedTime, value); }

    /// <summary><see cref="Created"/> as written: the config's own text while the time is unchanged.</summary>
    [JsonInclude, JsonPropertyName("created"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal Rfc3339Time? CreatedTime { get; set { field = value; Edited(); } }

    /// <summary>The command or tool that made the step.</summary>
    [JsonPropertyName("created_by"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CreatedBy { get; set { field = value; Edited(); } }

    /// <summary>Who made the step.</summary>
    [JsonPropertyName("author"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Author { get; set { field = value; Edited(); } }

    /// <summary>A comment.</summary>
    [JsonPropertyName("comment"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Comment { get; set { field = value; Edited(); } }

    /// <summary>True when the step made no layer (ENV, CMD, ...).</summary>
    [JsonPropertyName("empty_layer"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool EmptyLayer { get; set { field = value; Edited(); } }

    /// <summary>Fields this version does not know, kept for round trips.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? ExtensionData { get => _extensionData; set { _extensionData = value is null ? null : new(value); Edited(); } }

    /// <summary>The stamp of the latest edit of this entry (<see cref="EditClock"/>).</summary>
    internal long LastEdit => Math.Max(_editedAt, _extensionData?.LastEdit ?? 0);

    private void Edited() => _editedAt = EditClock.Tick();
}
