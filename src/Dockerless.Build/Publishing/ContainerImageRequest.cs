namespace Dockerless.Build.Publishing;

/// <summary>How the image is made from a publish directory (the PublishContainer properties of one RID).</summary>
public sealed record ContainerImageRequest
{
    /// <summary>ContainerBaseImage: a registry reference, or any Dockerless location (<c>docker-archive:base.tar</c>, <c>oci:dir:tag</c>).</summary>
    public required string BaseImage { get; init; }

    /// <summary>PublishDir.</summary>
    public required string PublishDirectory { get; init; }

    /// <summary>The publish's deps.json (missing: every file goes to the app layer).</summary>
    public string DepsFile { get; init; } = "";

    /// <summary>The app's own assembly file name (TargetFileName).</summary>
    public required string AppAssembly { get; init; }

    /// <summary>ContainerRuntimeIdentifier: the platform taken from the base and written into the image.</summary>
    public required string RuntimeIdentifier { get; init; }

    /// <summary>The config the project asks for.</summary>
    public ContainerSettings Settings { get; init; } = new();

    /// <summary>The image's created time, its history entries' and its layers' file times.</summary>
    public DateTimeOffset Created { get; init; } = Image.DefaultTimestamp;

    /// <summary>Add the <c>org.opencontainers.image.base.digest</c> label (the base manifest's digest).</summary>
    public bool BaseDigestLabel { get; init; } = true;
}
