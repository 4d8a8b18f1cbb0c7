using Dockerless.Build.Publishing;
using Microsoft.Build.Framework;

namespace Dockerless.Build.Tasks;

/// <summary>ContainerBaseImage when the project sets it, else the .NET image the SDK would choose (<see cref="BaseImageDefaults"/>).</summary>
public sealed class ComputeContainerBaseImage : AsyncTask
{
    /// <summary>ContainerBaseImage as the project sets it (empty: choose one).</summary>
    public string UserBaseImage { get; set; } = "";

    /// <summary>NETCoreSdkVersion.</summary>
    public string SdkVersion { get; set; } = "";

    /// <summary>The target framework's version (<c>10.0</c>).</summary>
    [Required]
    public string TargetFrameworkVersion { get; set; } = "";

    /// <summary>@(FrameworkReference): Microsoft.AspNetCore.App among them chooses the aspnet image.</summary>
    public ITaskItem[] FrameworkReferences { get; set; } = [];

    /// <summary>Whether the publish is self-contained.</summary>
    public bool IsSelfContained { get; set; }

    /// <summary>PublishAot.</summary>
    public bool IsAotPublished { get; set; }

    /// <summary>PublishTrimmed.</summary>
    public bool IsTrimmed { get; set; }

    /// <summary>InvariantGlobalization.</summary>
    public bool UsesInvariantGlobalization { get; set; }

    /// <summary>The container's runtime identifier.</summary>
    public string RuntimeIdentifier { get; set; } = "";

    /// <summary>ContainerFamily.</summary>
    public string ContainerFamily { get; set; } = "";

    /// <summary>The base image to use.</summary>
    [Output]
    public string ComputedContainerBaseImage { get; private set; } = "";

    /// <inheritdoc/>
    protected override Task ExecuteAsync(CancellationToken cancellationToken)
    {
        ComputedContainerBaseImage = UserBaseImage.Length > 0 ? UserBaseImage : BaseImageDefaults.For(new BaseImageInputs
        {
            TargetFrameworkVersion = TargetFrameworkVersion,
            SdkVersion = SdkVersion,
            IsAspNetCore = FrameworkReferences.Any(r => r.ItemSpec.Equals("Microsoft.AspNetCore.App", StringComparison.OrdinalIgnoreCase)),
            IsSelfContained = IsSelfContained,
            IsAot = IsAotPublished,
            IsTrimmed = IsTrimmed,
            IsInvariant = UsesInvariantGlobalization,
            RuntimeIdentifier = RuntimeIdentifier,
            Family = ContainerFamily,
        });
        Detail($"Base image: {ComputedContainerBaseImage}");
        return Task.CompletedTask;
    }
}
