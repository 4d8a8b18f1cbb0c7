using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockerless.Manifests;

/// <summary>
/// The runtime part of an image configuration (the config's <c>config</c> object). Each setter and
/// each change to one of its collections is an edit of the configuration (see <see cref="ImageConfiguration"/>).
/// Setting a list or dictionary keeps the one given, as a view that records changes; setting a set copies it.
/// <see cref="ExposedPorts"/> and <see cref="Volumes"/> are written as Docker writes them: a JSON
/// object whose keys are the items and whose values are empty objects. A value read that is not an
/// empty object (Docker's never are) is kept with its item and written back while the item stays.
/// Empty, they and <see cref="Labels"/> are left out unless they were read or set as an empty object.
/// </summary>
public sealed class ContainerConfig
{
    private long _editedAt;
    private KeySet _exposedPorts = new();
    private TrackedList<string> _env = new();
    private TrackedList<string>? _entrypoint;
    private TrackedList<string>? _cmd;
    private KeySet _volumes = new();
    private TrackedDictionary<string, string> _labels = new(new Dictionary<string, string>());
    private bool _labelsGiven;
    private TrackedList<string>? _shell;
    private TrackedList<string>? _onBuild;
    private TrackedDictionary<string, JsonElement>? _extensionData;

    /// <summary>The user (and group) processes run as: <c>name</c>, <c>uid</c>, <c>uid:gid</c>.</summary>
    [JsonPropertyName("User"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? User { get; set { field = value; Edited(); } }

    /// <summary>The ports the image exposes, as <c>8080/tcp</c>, in order. Null empties it.</summary>
    [JsonIgnore, AllowNull]
    public ISet<string> ExposedPorts { get => _exposedPorts; set { _exposedPorts = KeySet.Given(value); Edited(); } }

    /// <summary><see cref="ExposedPorts"/> as written.</summary>
    [JsonInclude, JsonPropertyName("ExposedPorts"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal KeySet? WrittenExposedPorts { get => _exposedPorts.Written; set => ExposedPorts = value; }

    /// <summary>Environment variables as <c>NAME=value</c>. Null empties it.</summary>
    [JsonPropertyName("Env"), AllowNull]
    public IList<string> Env { get => _env; set { _env = new(value ?? []); Edited(); } }

    /// <summary>The entrypoint, or null to use none.</summary>
    [JsonPropertyName("Entrypoint")]
    public IList<string>? Entrypoint { get => _entrypoint; set { _entrypoint = value is null ? null : new(value); Edited(); } }

    /// <summary>The default command (or arguments to the entrypoint).</summary>
    [JsonPropertyName("Cmd")]
    public IList<string>? Cmd { get => _cmd; set { _cmd = value is null ? null : new(value); Edited(); } }

    /// <summary>The paths that are volumes, in order. Null empties it.</summary>
    [JsonIgnore, AllowNull]
    public ISet<string> Volumes { get => _volumes; set { _volumes = KeySet.Given(value); Edited(); } }

    /// <summary><see cref="Volumes"/> as written.</summary>
    [JsonInclude, JsonPropertyName("Volumes"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal KeySet? WrittenVolumes { get => _volumes.Written; set => Volumes = value; }

    /// <summary>The working directory.</summary>
    [JsonPropertyName("WorkingDir"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? WorkingDir { get; set { field = value; Edited(); } }

    /// <summary>Labels, by name. Null empties them.</summary>
    [JsonIgnore, AllowNull]
    public IDictionary<string, string> Labels
    {
        get => _labels;
        set
        {
            _labels = new(value ?? new Dictionary<string, string>());
            _labelsGiven = value is not null;
            Edited();
        }
    }

    /// <summary><see cref="Labels"/> as written.</summary>
    [JsonInclude, JsonPropertyName("Labels"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal IDictionary<string, string>? WrittenLabels { get => _labels.Count > 0 || _labelsGiven ? _labels : null; set => Labels = value; }

    /// <summary>The signal that stops the container (<c>SIGTERM</c>).</summary>
    [JsonPropertyName("StopSignal"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? StopSignal { get; set { field = value; Edited(); } }

    /// <summary>Docker's health check, or null for none.</summary>
    [JsonPropertyName("Healthcheck"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public HealthConfig? Healthcheck { get; set { field = value; Edited(); } }

    /// <summary>Docker's shell for the shell form of RUN, CMD and ENTRYPOINT.</summary>
    [JsonPropertyName("Shell"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IList<string>? Shell { get => _shell; set { _shell = value is null ? null : new(value); Edited(); } }

    /// <summary>Docker's ONBUILD triggers.</summary>
    [JsonPropertyName("OnBuild"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IList<string>? OnBuild { get => _onBuild; set { _onBuild = value is null ? null : new(value); Edited(); } }

    /// <summary>Fields this version does not know, kept for round trips.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? ExtensionData { get => _extensionData; set { _extensionData = value is null ? null : new(value); Edited(); } }

    /// <summary>The stamp of the latest edit of this object or anything in it (<see cref="EditClock"/>).</summary>
    internal long LastEdit => EditClock.Latest(
        _editedAt, _exposedPorts.LastEdit, _env.LastEdit, _entrypoint?.LastEdit ?? 0, _cmd?.LastEdit ?? 0, _volumes.LastEdit,
        _labels.LastEdit, Healthcheck?.LastEdit ?? 0, _shell?.LastEdit ?? 0, _onBuild?.LastEdit ?? 0, _extensionData?.LastEdit ?? 0);

    private void Edited() => _editedAt = EditClock.Tick();
}
