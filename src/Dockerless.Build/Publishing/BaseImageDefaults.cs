using System.Globalization;

namespace Dockerless.Build.Publishing;

/// <summary>What the project is, for choosing its default base image.</summary>
public sealed record BaseImageInputs
{
    /// <summary>The target framework's version (<c>10.0</c>).</summary>
    public required string TargetFrameworkVersion { get; init; }

    /// <summary>NETCoreSdkVersion (<c>10.0.401</c>, <c>11.0.100-preview.3.25201.16</c>).</summary>
    public string SdkVersion { get; init; } = "";

    /// <summary>Whether the project references Microsoft.AspNetCore.App.</summary>
    public bool IsAspNetCore { get; init; }

    /// <summary>SelfContained or PublishSelfContained.</summary>
    public bool IsSelfContained { get; init; }

    /// <summary>PublishAot.</summary>
    public bool IsAot { get; init; }

    /// <summary>PublishTrimmed.</summary>
    public bool IsTrimmed { get; init; }

    /// <summary>InvariantGlobalization.</summary>
    public bool IsInvariant { get; init; }

    /// <summary>The container's runtime identifier.</summary>
    public string RuntimeIdentifier { get; init; } = "";

    /// <summary>ContainerFamily (<c>alpine</c>, <c>noble-chiseled</c>, ...): a suffix to the tag.</summary>
    public string Family { get; init; } = "";
}

/// <summary>
/// The base image the SDK picks when ContainerBaseImage is not set: mcr.microsoft.com/dotnet/
/// runtime-deps for a self-contained app, aspnet for an ASP.NET Core app, runtime otherwise; the
/// tag is the target framework's major.minor (<c>10.0</c>), then ContainerFamily, or for a musl
/// RID <c>-alpine</c>, for a trimmed or AOT app <c>-noble-chiseled</c> and <c>-extra</c> (with
/// globalization) or <c>-aot</c> (without).
/// </summary>
public static class BaseImageDefaults
{
    /// <summary>The registry the .NET images are on.</summary>
    public const string Registry = "mcr.microsoft.com";

    /// <summary>The default base for <paramref name="inputs"/>.</summary>
    /// <exception cref="ContainerSettingsException">The target framework version is not a version (DLB0003).</exception>
    public static string For(BaseImageInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (!Version.TryParse(inputs.TargetFrameworkVersion.TrimStart('v'), out var tfm))
        {
            throw new ContainerSettingsException($"TargetFrameworkVersion '{inputs.TargetFrameworkVersion}' is not a version: cannot choose a default ContainerBaseImage; set ContainerBaseImage");
        }
        var repository = inputs.IsSelfContained ? "dotnet/runtime-deps" : inputs.IsAspNetCore ? "dotnet/aspnet" : "dotnet/runtime";
        var tag = VersionTag(tfm, inputs.SdkVersion);
        var musl = inputs.RuntimeIdentifier.StartsWith("linux-musl", StringComparison.Ordinal);
        if (inputs.Family.Length > 0) return $"{Registry}/{repository}:{tag}-{inputs.Family}";
        if (tfm.Major < 8) return $"{Registry}/{repository}:{tag}{(musl ? "-alpine" : "")}";
        tag += musl ? "-alpine" : inputs.IsAot || inputs.IsTrimmed ? "-noble-chiseled" : "";
        tag += (inputs.IsAot || inputs.IsTrimmed, inputs.IsInvariant) switch
        {
            (true, false) => "-extra",
            (true, true) when inputs.IsAot => "-aot",
            _ => "",
        };
        return $"{Registry}/{repository}:{tag}";
    }

    /// <summary>
    /// major.minor of the target framework; for the first preview or release candidate SDK of that
    /// version (its feature band 100), that preview's own tag, as mcr names them (<c>11.0.0-preview.3</c>).
    /// </summary>
    private static string VersionTag(Version tfm, string sdkVersion)
    {
        var plain = string.Create(CultureInfo.InvariantCulture, $"{tfm.Major}.{tfm.Minor}");
        var dash = sdkVersion.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0 || !Version.TryParse(sdkVersion[..dash], out var sdk) || sdk.Major != tfm.Major || sdk.Minor != tfm.Minor || sdk.Build != 100) return plain;
        var labels = sdkVersion[(dash + 1)..].Split('.');
        return labels switch
        {
            ["preview" or "rc", var number, ..] => $"{plain}.0-{labels[0]}.{number}",
            ["alpha" or "dev" or "ci", ..] => $"{plain}-preview",
            _ => plain,
        };
    }
}
