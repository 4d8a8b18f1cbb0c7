using Dockerless.Build.Publishing;
using Microsoft.Build.Framework;

namespace Dockerless.Build.Tasks;

/// <summary>
/// Makes the image of one runtime identifier from the publish directory and writes it where the
/// project says (registry, archive, docker or podman); as one platform of an index, it is pushed
/// by digest or written to <see cref="LayoutDirectory"/> for <see cref="CreateContainerImageIndex"/>.
/// </summary>
public sealed class CreateContainerImage : DestinationTask
{
    /// <summary>ContainerBaseImage.</summary>
    [Required] public string BaseImage { get; set; } = "";

    /// <summary>ContainerImageFormat.</summary>
    public string ImageFormat { get; set; } = "";

    /// <summary>PublishDir.</summary>
    [Required] public string PublishDirectory { get; set; } = "";

    /// <summary>The publish's deps.json.</summary>
    public string DepsFile { get; set; } = "";

    /// <summary>TargetFileName.</summary>
    [Required] public string AppAssembly { get; set; } = "";

    /// <summary>ContainerWorkingDirectory.</summary>
    public string WorkingDirectory { get; set; } = "/app/";

    /// <summary>ContainerEntrypoint.</summary>
    public ITaskItem[] Entrypoint { get; set; } = [];

    /// <summary>ContainerEntrypointArgs.</summary>
    public ITaskItem[] EntrypointArgs { get; set; } = [];

    /// <summary>ContainerAppCommand.</summary>
    public ITaskItem[] AppCommand { get; set; } = [];

    /// <summary>ContainerAppCommandArgs.</summary>
    public ITaskItem[] AppCommandArgs { get; set; } = [];

    /// <summary>ContainerAppCommandInstruction.</summary>
    public string AppCommandInstruction { get; set; } = "";

    /// <summary>ContainerDefaultArgs.</summary>
    public ITaskItem[] DefaultArgs { get; set; } = [];

    /// <summary>ContainerLabel (metadata Value).</summary>
    public ITaskItem[] Labels { get; set; } = [];

    /// <summary>ContainerPort (metadata Type).</summary>
    public ITaskItem[] ExposedPorts { get; set; } = [];

    /// <summary>ContainerEnvironmentVariable (metadata Value).</summary>
    public ITaskItem[] EnvironmentVariables { get; set; } = [];

    /// <summary>ContainerRuntimeIdentifier.</summary>
    [Required] public string RuntimeIdentifier { get; set; } = "";

    /// <summary>ContainerUser.</summary>
    public string User { get; set; } = "";

    /// <summary>The created time (ISO 8601); empty: SOURCE_DATE_EPOCH, else the epoch.</summary>
    public string Created { get; set; } = "";

    /// <summary>Add the base digest label.</summary>
    public bool GenerateDigestLabel { get; set; } = true;

    /// <summary>ContainerGenerateSbom.</summary>
    public bool GenerateSbom { get; set; }

    /// <summary>ContainerSbomOutputPath.</summary>
    public string SbomOutputPath { get; set; } = "";

    /// <summary>Whether this image is one platform of an index (pushed by digest, or written to <see cref="LayoutDirectory"/>).</summary>
    public bool IndexMember { get; set; }

    /// <summary>Where an index member is written when the index does not go to a registry.</summary>
    public string LayoutDirectory { get; set; } = "";

    /// <summary>The manifest written.</summary>
    [Output] public string GeneratedContainerManifest { get; private set; } = "";

    /// <summary>The config written.</summary>
    [Output] public string GeneratedContainerConfiguration { get; private set; } = "";

    /// <summary>The manifest's digest.</summary>
    [Output] public string GeneratedContainerDigest { get; private set; } = "";

    /// <summary>The manifest's media type.</summary>
    [Output] public string GeneratedContainerMediaType { get; private set; } = "";

    /// <summary>The names the image was written under.</summary>
    [Output] public ITaskItem[] GeneratedContainerNames { get; private set; } = [];

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var destination = Destination(ImageFormat);
        if (ImageFormat.Equals("Docker", StringComparison.OrdinalIgnoreCase))
        {
            Warning(ErrorCodes.ImageFormat, "ContainerImageFormat=Docker: the image's manifest is OCI (Dockerless writes OCI manifests for images it changes); every registry and engine of the last years reads it");
        }
        var request = new ContainerImageRequest
        {
            BaseImage = BaseImage,
            PublishDirectory = PublishDirectory,
            DepsFile = DepsFile,
            AppAssembly = AppAssembly,
            RuntimeIdentifier = RuntimeIdentifier,
            Created = Created.Length > 0 ? DateTimeOffset.Parse(Created, System.Globalization.CultureInfo.InvariantCulture) : Image.DefaultTimestamp,
            BaseDigestLabel = GenerateDigestLabel,
            Settings = new ContainerSettings
            {
                WorkingDirectory = WorkingDirectory,
                Environment = [.. EnvironmentVariables.Select(i => KeyValuePair.Create(i.ItemSpec, i.GetMetadata("Value")))],
                Labels = [.. Labels.Select(i => KeyValuePair.Create(i.ItemSpec, i.GetMetadata("Value")))],
                Ports = [.. ExposedPorts.Select(i => new ContainerPort(i.ItemSpec, i.GetMetadata("Type")))],
                User = User,
                Command = new CommandSettings
                {
                    Entrypoint = Words(Entrypoint),
                    EntrypointArgs = Words(EntrypointArgs),
                    AppCommand = Words(AppCommand),
                    AppCommandArgs = Words(AppCommandArgs),
                    AppCommandInstruction = AppCommandInstruction,
                    DefaultArgs = Words(DefaultArgs),
                },
            },
        };
        var tally = new UploadTally();
        await using var registries = RegistryPools.Create(tally);
        var (image, libraries) = await ContainerImageBuilder.BuildAsync(request, registries, this, cancellationToken);
        await using (image)
        {
            var publisher = new ImagePublisher(registries, tally, this);
            PublishResult result;
            if (!IndexMember) result = await publisher.PublishAsync(image, destination, cancellationToken);
            else if (destination.IsRegistry) result = await publisher.PushByDigestAsync(image, destination, cancellationToken);
            else result = await WriteLayoutAsync(image);
            GeneratedContainerManifest = result.Manifest;
            GeneratedContainerConfiguration = System.Text.Encoding.UTF8.GetString(image.GetRawConfig().Span);
            GeneratedContainerDigest = result.Digest.ToString();
            GeneratedContainerMediaType = result.MediaType;
            GeneratedArchiveOutputPath = result.ArchivePath ?? "";
            GeneratedContainerNames = [.. result.Names.Select(n => new Microsoft.Build.Utilities.TaskItem(n))];
            if (GenerateSbom) await WriteSbomAsync(libraries, result, destination, request.Created, cancellationToken);
        }

        async Task<PublishResult> WriteLayoutAsync(Image image)
        {
            if (Directory.Exists(LayoutDirectory)) Directory.Delete(LayoutDirectory, recursive: true);
            image.Name = Repository;
            image.Tag = RuntimeIdentifier;
            await image.WriteOciLayoutAsync(LayoutDirectory, cancellationToken);
            var raw = image.GetRawManifest();
            return new PublishResult(raw.Digest, System.Text.Encoding.UTF8.GetString(raw.Bytes.Span), raw.MediaType, [], null);
        }
    }

    private async Task WriteSbomAsync(IReadOnlyList<DepsLibrary> libraries, PublishResult result, ImageDestination destination, DateTimeOffset created, CancellationToken cancellationToken)
    {
        var path = SbomOutputPath.Length > 0 ? SbomOutputPath
            : result.ArchivePath is { } archive ? archive + ".spdx.json"
            : throw new ContainerSettingsException("ContainerGenerateSbom is true but ContainerSbomOutputPath is empty");
        var app = libraries.FirstOrDefault(l => l.Type == "project" && l.Files.Contains(AppAssembly, StringComparer.Ordinal));
        await SpdxSbom.WriteAsync(path, app?.Name ?? Path.GetFileNameWithoutExtension(AppAssembly), app?.Version ?? "", libraries, created, result.Digest, cancellationToken);
        Message($"Wrote the SBOM of '{destination.Repository}' ({libraries.Count(l => l.Type == "package")} NuGet packages) to '{Path.GetFullPath(path)}'; attaching it to the image as an OCI referrer is not done yet.");
    }

    private static IReadOnlyList<string> Words(ITaskItem[] items) => [.. items.Select(i => i.ItemSpec)];
}
