using System.Runtime.InteropServices;
using System.Text.Json;

namespace Dockerless.Running;

/// <summary>
/// A seccomp profile in docker's format (the one <c>docker run --security-opt seccomp=FILE</c> and
/// podman read: rules with <c>includes</c> and <c>excludes</c> by capability, architecture and
/// kernel) turned into the runtime-spec's, for a container with the given capabilities, as docker
/// turns its own. The default is containers-common's profile, the one podman applies (docker's
/// is built into dockerd): <see cref="DefaultPath"/>.
/// </summary>
internal static class SeccompProfile
{
    public const string DefaultPath = "/usr/share/containers/seccomp.json";

    /// <summary>The profile at <paramref name="path"/> for this machine's architecture and kernel, or null when there is no such file.</summary>
    public static OciSeccomp? Load(string path, IReadOnlyCollection<string> capabilities)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            return Convert(document.RootElement, capabilities, GoArchitecture(), Environment.OSVersion.Version);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new ContainerConfigurationException($"{path}: not a seccomp profile in docker's format: {e.Message}");
        }
    }

    internal static OciSeccomp Convert(JsonElement profile, IReadOnlyCollection<string> capabilities, string architecture, Version kernel)
    {
        var rules = new List<OciSyscallRule>();
        foreach (var rule in Array(profile, "syscalls"))
        {
            if (!Applies(rule, capabilities, architecture, kernel)) continue;
            var names = Strings(rule, "names").ToList();
            if (rule.TryGetProperty("name", out var single) && single.GetString() is { } name) names.Add(name);
            if (names.Count == 0) continue;
            var arguments = Array(rule, "args").Select(a => new OciSyscallArgument(
                a.GetProperty("index").GetUInt32(), a.GetProperty("value").GetUInt64(),
                a.TryGetProperty("valueTwo", out var two) ? two.GetUInt64() : 0, a.GetProperty("op").GetString()!)).ToList();
            rules.Add(new OciSyscallRule(names, rule.GetProperty("action").GetString()!, Number(rule, "errnoRet"), arguments.Count > 0 ? arguments : null));
        }
        return new OciSeccomp(profile.GetProperty("defaultAction").GetString()!, Number(profile, "defaultErrnoRet"), Architectures(profile, architecture), rules);
    }

    /// <summary>Whether a rule is for this container: every capability it includes granted, none it excludes; the architecture and kernel it names.</summary>
    private static bool Applies(JsonElement rule, IReadOnlyCollection<string> capabilities, string architecture, Version kernel)
    {
        if (rule.TryGetProperty("includes", out var includes) && includes.ValueKind == JsonValueKind.Object)
        {
            if (Strings(includes, "caps").Any(c => !capabilities.Contains(c))) return false;
            var arches = Strings(includes, "arches").ToList();
            if (arches.Count > 0 && !arches.Contains(architecture)) return false;
            if (includes.TryGetProperty("minKernel", out var minimum) && minimum.GetString() is { Length: > 0 } text && kernel < Version.Parse(text)) return false;
        }
        if (rule.TryGetProperty("excludes", out var excludes) && excludes.ValueKind == JsonValueKind.Object)
        {
            if (Strings(excludes, "caps").Any(capabilities.Contains)) return false;
            if (Strings(excludes, "arches").Contains(architecture)) return false;
        }
        return true;
    }

    /// <summary>The native seccomp architecture and the ones its map lists beside it (x86 and x32 beside x86-64).</summary>
    private static List<string> Architectures(JsonElement profile, string architecture)
    {
        var native = architecture switch
        {
            "amd64" => "SCMP_ARCH_X86_64",
            "arm64" => "SCMP_ARCH_AARCH64",
            "arm" => "SCMP_ARCH_ARM",
            "386" => "SCMP_ARCH_X86",
            "ppc64le" => "SCMP_ARCH_PPC64LE",
            "s390x" => "SCMP_ARCH_S390X",
            "riscv64" => "SCMP_ARCH_RISCV64",
            _ => null,
        };
        if (native is null) return [];
        foreach (var entry in Array(profile, "archMap"))
        {
            if (entry.GetProperty("architecture").GetString() == native) return [native, .. Strings(entry, "subArchitectures")];
        }
        return [native];
    }

    private static uint? Number(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetUInt32() : null;

    private static JsonElement.ArrayEnumerator Array(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : default;

    private static IEnumerable<string> Strings(JsonElement element, string name) => Array(element, name).Select(e => e.GetString()!);

    /// <summary>This machine's architecture as the profile's rules name it (Go's names).</summary>
    private static string GoArchitecture() => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.Arm => "arm",
        Architecture.X86 => "386",
        Architecture.Ppc64le => "ppc64le",
        Architecture.S390x => "s390x",
        Architecture.RiscV64 => "riscv64",
        _ => RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(),
    };
}
