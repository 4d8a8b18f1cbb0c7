using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockerless.Manifests;

/// <summary>
/// The runtime part of an image configuration (the config's <c>config</c> object).
/// <see cref="ExposedPorts"/> and <see cref="Volumes"/> are written as Docker writes them: a JSON
/// object whose keys are the items and whose values are empty objects. A value read that is not an
/// empty object (Docker's never are) is kept with its item and written back while the item stays.
/// Empty, they are left out unless they were read or set as an empty object, which is then written.
/// </summary>
public sealed class ContainerConfig
{
    /// <summary>The user (and group) processes run as: <c>name</c>, <c>uid</c>, <c>uid:gid</c>.</summary>
    [JsonPropertyName("User"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? User { get; set; }

    /// <summary>
    /// The ports the image exposes, as <c>8080/tcp</c>, in order. Setting copies the items; null empties it.
    /// Written as Docker writes it (see <see cref="ContainerConfig"/>), each port with an empty object.
    /// </summary>
    [JsonIgnore, AllowNull]
    public ISet<string> ExposedPorts { get => _exposedPorts; set => _exposedPorts = KeySet.Given(value); }

    private KeySet _exposedPorts = new();

    /// <summary><see cref="ExposedPorts"/> as written.</summary>
    [JsonInclude, JsonPropertyName("ExposedPorts"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal KeySet? WrittenExposedPorts { get => _exposedPorts.Written; set => ExposedPorts = value; }

    /// <summary>Environment variables as <c>NAME=value</c>.</summary>
    [JsonPropertyName("Env")] public List<string> Env { get; set; } = [];

    /// <summary>The entrypoint, or null to use none.</summary>
    [JsonPropertyName("Entrypoint")] public List<string>? Entrypoint { get; set; }

    /// <summary>The default command (or arguments to the entrypoint).</summary>
    [JsonPropertyName("Cmd")] public List<string>? Cmd { get; set; }

    /// <summary>
    /// The paths that are volumes, in order. Setting copies the items; null empties it.
    /// Written as Docker writes it (see <see cref="ContainerConfig"/>), each path with an empty object.
    /// </summary>
    [JsonIgnore, AllowNull]
    public ISet<string> Volumes { get => _volumes; set => _volumes = KeySet.Given(value); }

    private KeySet _volumes = new();

    /// <summary><see cref="Volumes"/> as written.</summary>
    [JsonInclude, JsonPropertyName("Volumes"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal KeySet? WrittenVolumes { get => _volumes.Written; set => Volumes = value; }

    /// <summary>The working directory.</summary>
    [JsonPropertyName("WorkingDir"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? WorkingDir { get; set; }

    /// <summary>Labels.</summary>
    [JsonPropertyName("Labels"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Dictionary<string, string>? Labels { get; set; }

    /// <summary>The signal that stops the container (<c>SIGTERM</c>).</summary>
    [JsonPropertyName("StopSignal"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? StopSignal { get; set; }

    /// <summary>Docker's health check, or null for none.</summary>
    [JsonPropertyName("Healthcheck"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public HealthConfig? Healthcheck { get; set; }

    /// <summary>Docker's shell for the shell form of RUN, CMD and ENTRYPOINT.</summary>
    [JsonPropertyName("Shell"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public List<string>? Shell { get; set; }

    /// <summary>Docker's ONBUILD triggers.</summary>
    [JsonPropertyName("OnBuild"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public List<string>? OnBuild { get; set; }

    /// <summary>Fields this version does not know, kept for round trips.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
