using System.Text.Json.Serialization;

namespace Dockerless.Running;

/// <summary>
/// The parts of an OCI runtime bundle's <c>config.json</c> (runtime-spec 1.0) that a run sets:
/// what runc and crun read to make the container. Written, never read back.
/// </summary>
internal sealed record OciSpec
{
    public string OciVersion { get; init; } = "1.0.2";
    public required OciProcess Process { get; init; }
    public required OciRoot Root { get; init; }
    public required string Hostname { get; init; }
    public required IReadOnlyList<OciMount> Mounts { get; init; }
    public required OciLinux Linux { get; init; }
}

internal sealed record OciProcess
{
    public bool Terminal { get; init; }
    public required OciUser User { get; init; }
    public required IReadOnlyList<string> Args { get; init; }
    public required IReadOnlyList<string> Env { get; init; }
    public required string Cwd { get; init; }
    public required OciCapabilities Capabilities { get; init; }
    public IReadOnlyList<OciRlimit>? Rlimits { get; init; }
    public bool NoNewPrivileges { get; init; }
    public int? OomScoreAdj { get; init; }
}

internal sealed record OciUser(uint Uid, uint Gid, IReadOnlyList<uint>? AdditionalGids);

internal sealed record OciCapabilities(
    IReadOnlyList<string> Bounding, IReadOnlyList<string> Effective, IReadOnlyList<string> Permitted, IReadOnlyList<string> Inheritable);

internal sealed record OciRlimit(string Type, ulong Hard, ulong Soft);

internal sealed record OciRoot(string Path, bool Readonly);

internal sealed record OciMount(string Destination, string Type, string Source, IReadOnlyList<string> Options);

internal sealed record OciLinux
{
    public IReadOnlyList<OciIdMapping>? UidMappings { get; init; }
    public IReadOnlyList<OciIdMapping>? GidMappings { get; init; }
    public required IReadOnlyList<OciNamespace> Namespaces { get; init; }
    public OciResources? Resources { get; init; }
    public required IReadOnlyList<string> MaskedPaths { get; init; }
    public required IReadOnlyList<string> ReadonlyPaths { get; init; }
    public OciSeccomp? Seccomp { get; init; }
}

internal sealed record OciIdMapping(uint ContainerId, uint HostId, uint Size)
{
    // The spec spells these two with a capital D, which the camel-case policy would not.
    [JsonPropertyName("containerID")] public uint ContainerId { get; init; } = ContainerId;
    [JsonPropertyName("hostID")] public uint HostId { get; init; } = HostId;
}

internal sealed record OciNamespace(string Type);

internal sealed record OciResources(IReadOnlyList<OciDeviceRule> Devices);

internal sealed record OciDeviceRule(bool Allow, string? Type, long? Major, long? Minor, string Access);

internal sealed record OciSeccomp(string DefaultAction, uint? DefaultErrnoRet, IReadOnlyList<string> Architectures, IReadOnlyList<OciSyscallRule> Syscalls);

internal sealed record OciSyscallRule(IReadOnlyList<string> Names, string Action, uint? ErrnoRet, IReadOnlyList<OciSyscallArgument>? Args);

internal sealed record OciSyscallArgument(uint Index, ulong Value, ulong ValueTwo, string Op);

/// <summary>The source-generated writer of <see cref="OciSpec"/> (trimming and AOT safe).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(OciSpec))]
internal sealed partial class OciSpecJsonContext : JsonSerializerContext;
