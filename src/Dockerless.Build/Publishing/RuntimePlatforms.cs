namespace Dockerless.Build.Publishing;

/// <summary>The container platform a .NET runtime identifier runs on.</summary>
public static class RuntimePlatforms
{
    /// <summary><c>linux-x64</c> and <c>linux-musl-x64</c> are <c>linux/amd64</c>, <c>linux-arm64</c> <c>linux/arm64</c>, <c>linux-arm</c> <c>linux/arm/v7</c>, and so on.</summary>
    /// <exception cref="ContainerSettingsException">The RID is not a Linux one this knows (DLB0007): Windows images are not built.</exception>
    public static Platform For(string runtimeIdentifier)
    {
        ArgumentNullException.ThrowIfNull(runtimeIdentifier);
        var parts = runtimeIdentifier.Split('-');
        if (parts is not ["linux", .., var arch] || parts.Length > 3 || (parts.Length == 3 && parts[1] != "musl" && parts[1] != "bionic"))
        {
            throw new ContainerSettingsException($"ContainerRuntimeIdentifier '{runtimeIdentifier}' is not a Linux runtime identifier (linux-x64, linux-arm64, linux-musl-x64, ...); Dockerless.Build makes Linux images only");
        }
        return arch switch
        {
            "x64" => Platform.Parse("linux/amd64"),
            "arm64" => Platform.Parse("linux/arm64"),
            "arm" => Platform.Parse("linux/arm/v7"),
            "x86" => Platform.Parse("linux/386"),
            "s390x" or "ppc64le" or "riscv64" or "loongarch64" => Platform.Parse($"linux/{arch}"),
            _ => throw new ContainerSettingsException($"ContainerRuntimeIdentifier '{runtimeIdentifier}': unknown architecture '{arch}'"),
        };
    }
}
