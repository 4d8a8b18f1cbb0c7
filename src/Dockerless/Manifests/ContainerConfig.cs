using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockerless.Manifests;

/// <summary>The runtime part of an image configuration (the config's <c>config</c> object).</summary>
public sealed class ContainerConfig
{
    /// <summary>The user (and group) processes run as: <c>name</c>, <c>uid</c>, <c>uid:gid</c>.</summary>
    [JsonPropertyName("User"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? User { get; set; }

    /// <summary>Exposed ports, keyed as <c>8080/tcp</c>; the values are empty objects.</summary>
    [JsonPropertyName("ExposedPorts"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Dictionary<string, JsonElement>? ExposedPorts { get; set; }

    /// <summary>Environment variables as <c>NAME=value</c>.</summary>
    [JsonPropertyName("Env")] public List<string> Env { get; set; } = [];

    /// <summary>The entrypoint, or null to use none.</summary>
    [JsonPropertyName("Entrypoint")] public List<string>? Entrypoint { get; set; }

    /// <summary>The default command (or arguments to the entrypoint).</summary>
    [JsonPropertyName("Cmd")] public List<string>? Cmd { get; set; }

    /// <summary>Volumes, keyed by path; the values are empty objects.</summary>
    [JsonPropertyName("Volumes"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Dictionary<string, JsonElement>? Volumes { get; set; }

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
