using Dockerless.Build.Publishing;

namespace Dockerless.Tests.Build;

/// <summary>The default base image is the one the SDK's ComputeDotnetBaseImageAndTag picks for the same project.</summary>
public sealed class BaseImageDefaultsTests
{
    [Theory]
    [InlineData(false, false, false, false, false, "linux-x64", "", "mcr.microsoft.com/dotnet/runtime:10.0")]
    [InlineData(true, false, false, false, false, "linux-x64", "", "mcr.microsoft.com/dotnet/aspnet:10.0")]
    [InlineData(true, true, false, false, false, "linux-x64", "", "mcr.microsoft.com/dotnet/runtime-deps:10.0")]
    [InlineData(false, false, false, false, false, "linux-musl-x64", "", "mcr.microsoft.com/dotnet/runtime:10.0-alpine")]
    [InlineData(false, false, false, false, false, "linux-x64", "noble-chiseled", "mcr.microsoft.com/dotnet/runtime:10.0-noble-chiseled")]
    [InlineData(false, true, true, false, true, "linux-x64", "", "mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled-aot")]
    [InlineData(false, true, true, false, false, "linux-x64", "", "mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled-extra")]
    [InlineData(false, true, false, true, true, "linux-x64", "", "mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled")]
    [InlineData(false, true, true, false, true, "linux-musl-arm64", "", "mcr.microsoft.com/dotnet/runtime-deps:10.0-alpine-aot")]
    public void The_default_base_follows_the_project(bool aspnet, bool selfContained, bool aot, bool trimmed, bool invariant, string rid, string family, string expected)
        => Assert.Equal(expected, BaseImageDefaults.For(new BaseImageInputs
        {
            TargetFrameworkVersion = "10.0",
            SdkVersion = "10.0.401",
            IsAspNetCore = aspnet,
            IsSelfContained = selfContained,
            IsAot = aot,
            IsTrimmed = trimmed,
            IsInvariant = invariant,
            RuntimeIdentifier = rid,
            Family = family,
        }));

    [Theory]
    [InlineData("11.0", "11.0.100-preview.3.25201.16", "mcr.microsoft.com/dotnet/runtime:11.0.0-preview.3")]
    [InlineData("11.0", "11.0.100-rc.1.25451.107", "mcr.microsoft.com/dotnet/runtime:11.0.0-rc.1")]
    [InlineData("11.0", "11.0.200-preview.1.1", "mcr.microsoft.com/dotnet/runtime:11.0")]
    [InlineData("8.0", "11.0.100-preview.3.25201.16", "mcr.microsoft.com/dotnet/runtime:8.0")]
    [InlineData("6.0", "10.0.401", "mcr.microsoft.com/dotnet/runtime:6.0")]
    public void A_preview_sdk_of_the_target_framework_takes_its_preview_tag(string tfm, string sdk, string expected)
        => Assert.Equal(expected, BaseImageDefaults.For(new BaseImageInputs { TargetFrameworkVersion = tfm, SdkVersion = sdk }));

    [Fact]
    public void A_target_framework_that_is_no_version_is_an_error_naming_it()
        => Assert.Contains("TargetFrameworkVersion 'vNext'", Assert.Throws<ContainerSettingsException>(() => BaseImageDefaults.For(new BaseImageInputs { TargetFrameworkVersion = "vNext" })).Message, StringComparison.Ordinal);
}
