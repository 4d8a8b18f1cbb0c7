using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockerless.Manifests;

/// <summary>
/// Docker's health check (the config's <c>Healthcheck</c>, set by a Dockerfile's HEALTHCHECK).
/// A field left null is not written, and the engine uses its default; so does a zero duration.
/// Durations are Go's: whole nanoseconds, of which a <see cref="TimeSpan"/> holds 100 ns steps,
/// and a duration read and not set again is written back to the nanosecond. Each setter and each
/// change to <see cref="Test"/> is an edit of the configuration (see <see cref="ImageConfiguration"/>).
/// </summary>
public sealed class HealthConfig
{
    private long _editedAt;
    private TrackedList<string>? _test;
    private TrackedDictionary<string, JsonElement>? _extensionData;

    /// <summary>
    /// The check: <c>["CMD", program, args...]</c>, <c>["CMD-SHELL", command]</c> (run by the
    /// shell), <c>["NONE"]</c> (no check, not even the base image's), or empty to take the base image's.
    /// </summary>
    [JsonPropertyName("Test"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IList<string>? Test { get => _test; set { _test = value is null ? null : new(value); Edited(); } }

    /// <summary>The time between two checks.</summary>
    [JsonIgnore] public TimeSpan? Interval { get => WrittenInterval?.Value; set => WrittenInterval = GoDuration.Keep(WrittenInterval, value); }

    /// <summary><see cref="Interval"/> as written.</summary>
    [JsonInclude, JsonPropertyName("Interval"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal GoDuration? WrittenInterval { get; set { field = value; Edited(); } }

    /// <summary>How long one check may run before it counts as failed.</summary>
    [JsonIgnore] public TimeSpan? Timeout { get => WrittenTimeout?.Value; set => WrittenTimeout = GoDuration.Keep(WrittenTimeout, value); }

    /// <summary><see cref="Timeout"/> as written.</summary>
    [JsonInclude, JsonPropertyName("Timeout"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal GoDuration? WrittenTimeout { get; set { field = value; Edited(); } }

    /// <summary>How long a starting container has before failed checks count.</summary>
    [JsonIgnore] public TimeSpan? StartPeriod { get => WrittenStartPeriod?.Value; set => WrittenStartPeriod = GoDuration.Keep(WrittenStartPeriod, value); }

    /// <summary><see cref="StartPeriod"/> as written.</summary>
    [JsonInclude, JsonPropertyName("StartPeriod"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal GoDuration? WrittenStartPeriod { get; set { field = value; Edited(); } }

    /// <summary>The time between two checks during <see cref="StartPeriod"/>.</summary>
    [JsonIgnore] public TimeSpan? StartInterval { get => WrittenStartInterval?.Value; set => WrittenStartInterval = GoDuration.Keep(WrittenStartInterval, value); }

    /// <summary><see cref="StartInterval"/> as written.</summary>
    [JsonInclude, JsonPropertyName("StartInterval"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal GoDuration? WrittenStartInterval { get; set { field = value; Edited(); } }

    /// <summary>How many failed checks in a row make the container unhealthy.</summary>
    [JsonPropertyName("Retries"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Retries { get; set { field = value; Edited(); } }

    /// <summary>Fields this version does not know, kept for round trips.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? ExtensionData { get => _extensionData; set { _extensionData = value is null ? null : new(value); Edited(); } }

    /// <summary>The stamp of the latest edit of this object or anything in it (<see cref="EditClock"/>).</summary>
    internal long LastEdit => EditClock.Latest(_editedAt, _test?.LastEdit ?? 0, _extensionData?.LastEdit ?? 0);

    private void Edited() => _editedAt = EditClock.Tick();
}
