using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockerless.Manifests;

/// <summary>One step of an image's history.</summary>
public sealed class HistoryEntry
{
    /// <summary>When the step ran.</summary>
    [JsonIgnore] public DateTimeOffset? Created { get => CreatedTime?.Value; set => CreatedTime = Rfc3339Time.Keep(CreatedTime, value); }

    /// <summary><see cref="Created"/> as written: the config's own text while the time is unchanged.</summary>
    [JsonInclude, JsonPropertyName("created"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] internal Rfc3339Time? CreatedTime { get; set; }

    /// <summary>The command or tool that made the step.</summary>
    [JsonPropertyName("created_by"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? CreatedBy { get; set; }

    /// <summary>Who made the step.</summary>
    [JsonPropertyName("author"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Author { get; set; }

    /// <summary>A comment.</summary>
    [JsonPropertyName("comment"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Comment { get; set; }

    /// <summary>True when the step made no layer (ENV, CMD, ...).</summary>
    [JsonPropertyName("empty_layer"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public bool EmptyLayer { get; set; }

    /// <summary>Fields this version does not know, kept for round trips.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
