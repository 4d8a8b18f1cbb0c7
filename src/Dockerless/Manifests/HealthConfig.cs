using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockerless.Manifests;

/// <summary>
/// Docker's health check (the config's <c>Healthcheck</c>, set by a Dockerfile's HEALTHCHECK).
/// A field left null is not written, and the engine uses its default; so does a zero duration.
/// Durations are Go's: whole nanoseconds, of which a <see cref="TimeSpan"/> holds 100 ns steps,
/// and a duration read and not set again is written back to the nanosecond.
/// </summary>
public sealed class HealthConfig
{
    /// <summary>
    /// The check: <c>["CMD", program, args...]</c>, <c>["CMD-SHELL", command]</c> (run by the
    /// shell), <c>["NONE"]</c> (no check, not even the base image's), or empty to take the base image's.
    /// </summary>
    [JsonPropertyName("Test"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public List<string>? Test { get; set; }

    /// <summary>The time between two checks.</summary>
    [JsonIgnore] public TimeSpan? Interval { get => WrittenInterval?.Value; set => WrittenInterval = GoDuration.Keep(WrittenInterval, value); }

    /// <summary><see cref="Interval"/> as written.</summary>
    [JsonInclude, JsonPropertyName("Interval"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] internal GoDuration? WrittenInterval { get; set; }

    /// <summary>How long one check may run before it counts as failed.</summary>
    [JsonIgnore] public TimeSpan? Timeout { get => WrittenTimeout?.Value; set => WrittenTimeout = GoDuration.Keep(WrittenTimeout, value); }

    /// <summary><see cref="Timeout"/> as written.</summary>
    [JsonInclude, JsonPropertyName("Timeout"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] internal GoDuration? WrittenTimeout { get; set; }

    /// <summary>How long a starting container has before failed checks count.</summary>
    [JsonIgnore] public TimeSpan? StartPeriod { get => WrittenStartPeriod?.Value; set => WrittenStartPeriod = GoDuration.Keep(WrittenStartPeriod, value); }

    /// <summary><see cref="StartPeriod"/> as written.</summary>
    [JsonInclude, JsonPropertyName("StartPeriod"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] internal GoDuration? WrittenStartPeriod { get; set; }

    /// <summary>The time between two checks during <see cref="StartPeriod"/>.</summary>
    [JsonIgnore] public TimeSpan? StartInterval { get => WrittenStartInterval?.Value; set => WrittenStartInterval = GoDuration.Keep(WrittenStartInterval, value); }

    /// <summary><see cref="StartInterval"/> as written.</summary>
    [JsonInclude, JsonPropertyName("StartInterval"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] internal GoDuration? WrittenStartInterval { get; set; }

    /// <summary>How many failed checks in a row make the container unhealthy.</summary>
    [JsonPropertyName("Retries"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? Retries { get; set; }

    /// <summary>Fields this version does not know, kept for round trips.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
