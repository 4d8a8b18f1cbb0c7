namespace Dockerless.Build.Publishing;

/// <summary>The codes of Dockerless.Build's MSBuild errors and warnings (docs/publish.md#errors lists them).</summary>
public static class ErrorCodes
{
    /// <summary>A failure nothing more precise describes (the message says what it was).</summary>
    public const string Failed = "DLB0001";

    /// <summary>The project has several target frameworks and none was chosen (raised by the targets).</summary>
    public const string MultipleTargetFrameworks = "DLB0002";

    /// <summary>A property or item has a value that cannot be used.</summary>
    public const string InvalidSetting = "DLB0003";

    /// <summary>The base image could not be read.</summary>
    public const string BaseImage = "DLB0004";

    /// <summary>The registry refused or failed a request.</summary>
    public const string Registry = "DLB0005";

    /// <summary>Credentials were missing, refused or could not be read.</summary>
    public const string Credentials = "DLB0006";

    /// <summary>The base has no image for the container's platform.</summary>
    public const string Platform = "DLB0007";

    /// <summary>The publish has no deps.json: every file goes into the app layer (a warning).</summary>
    public const string NoDepsFile = "DLB0008";

    /// <summary>docker or podman is missing or failed.</summary>
    public const string LocalRegistry = "DLB0009";

    /// <summary>The base image's entrypoint is replaced by the app command (a warning).</summary>
    public const string BaseEntrypointReplaced = "DLB0010";

    /// <summary>A file could not be read or written.</summary>
    public const string Io = "DLB0011";

    /// <summary>The image is not written in the ContainerImageFormat asked for (a warning: Docker gives an OCI manifest).</summary>
    public const string ImageFormat = "DLB0012";

    /// <summary>The base image's content is damaged (a digest or size does not match).</summary>
    public const string DamagedContent = "DLB0013";
}
