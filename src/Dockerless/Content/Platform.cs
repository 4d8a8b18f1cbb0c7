using System.Runtime.InteropServices;
using System.Text.Json.Serialization;

namespace Dockerless.Content;

/// <summary>An OCI platform: os, architecture and optional variant (<c>linux/arm64/v8</c>).</summary>
public sealed record Platform
{
    /// <summary>The operating system, as Go's GOOS (<c>linux</c>, <c>windows</c>).</summary>
    [JsonPropertyName("os")] public required string Os { get; init; }

    /// <summary>The CPU architecture, as Go's GOARCH (<c>amd64</c>, <c>arm64</c>, <c>arm</c>).</summary>
    [JsonPropertyName("architecture")] public required string Architecture { get; init; }

    /// <summary>The CPU variant (<c>v7</c>, <c>v8</c>), if any.</summary>
    [JsonPropertyName("variant"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Variant { get; init; }

    /// <summary>The OS version (Windows images), if any.</summary>
    [JsonPropertyName("os.version"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? OsVersion { get; init; }

    /// <summary>Required OS features, if any.</summary>
    [JsonPropertyName("os.features"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<string>? OsFeatures { get; init; }

    /// <summary>linux and the architecture of this process.</summary>
    public static Platform Host { get; } = new()
    {
        Os = "linux",
        Architecture = RuntimeInformation.OSArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
            System.Runtime.InteropServices.Architecture.Arm => "arm",
            System.Runtime.InteropServices.Architecture.X86 => "386",
            System.Runtime.InteropServices.Architecture.S390x => "s390x",
            System.Runtime.InteropServices.Architecture.Ppc64le => "ppc64le",
            System.Runtime.InteropServices.Architecture.RiscV64 => "riscv64",
            _ => "amd64",
        },
        Variant = RuntimeInformation.OSArchitecture switch { System.Runtime.InteropServices.Architecture.Arm64 => "v8", System.Runtime.InteropServices.Architecture.Arm => "v7", _ => null },
    };

    /// <summary>
    /// Parses <c>os/arch[/variant]</c> as containerd does: each part letters, digits, '_', '.'
    /// and '-', lowercased (<c>LINUX/AMD64</c> is <c>linux/amd64</c>, not a platform no image has).
    /// </summary>
    public static Platform Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var parts = value.Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(string.IsNullOrWhiteSpace))
        {
            throw new FormatException($"invalid platform \"{value}\": expected os/arch or os/arch/variant");
        }
        if (parts.FirstOrDefault(p => !p.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-')) is { } bad)
        {
            throw new FormatException($"invalid platform \"{value}\": \"{bad}\" may hold only letters, digits, '_', '.' and '-'");
        }
        parts = [.. parts.Select(p => p.ToLowerInvariant())];
        return new Platform { Os = parts[0], Architecture = parts[1], Variant = parts.Length == 3 ? parts[2] : null };
    }

    /// <summary>
    /// True when an image for <paramref name="candidate"/> runs on this platform: os and
    /// architecture equal, and the variant equal when both name one (arm64's v8 is the default).
    /// </summary>
    public bool Matches(Platform candidate)
    {
        if (!string.Equals(Os, candidate.Os, StringComparison.Ordinal) || !string.Equals(Architecture, candidate.Architecture, StringComparison.Ordinal))
        {
            return false;
        }
        var mine = NormalVariant(this);
        var theirs = NormalVariant(candidate);
        return mine is null || theirs is null || mine == theirs;
    }

    /// <summary>
    /// True when both name one platform, as an index may list it once: os, architecture, variant
    /// (arm64's v8 is the default) and os.version equal.
    /// </summary>
    public bool SameAs(Platform other)
        => other is not null && Os == other.Os && Architecture == other.Architecture && NormalVariant(this) == NormalVariant(other) && (OsVersion ?? "") == (other.OsVersion ?? "");

    private static string? NormalVariant(Platform p) => p.Variant ?? (p.Architecture == "arm64" ? "v8" : null);

    /// <summary>
    /// Equal fields, <see cref="OsFeatures"/> compared item by item: a record would compare the
    /// lists by reference, and two reads of one image's platform would differ.
    /// </summary>
    public bool Equals(Platform? other)
        => other is not null
            && Os == other.Os && Architecture == other.Architecture && Variant == other.Variant && OsVersion == other.OsVersion
            && (OsFeatures ?? []).SequenceEqual(other.OsFeatures ?? [], StringComparer.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Os, Architecture, Variant, OsVersion, OsFeatures?.Count ?? 0);

    /// <summary><c>os/arch[/variant]</c>.</summary>
    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";
}
