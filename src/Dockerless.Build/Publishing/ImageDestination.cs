namespace Dockerless.Build.Publishing;

/// <summary>Where the image goes: ContainerRegistry, else ContainerArchiveOutputPath, else the local engine (LocalRegistry).</summary>
public sealed record ImageDestination
{
    /// <summary>ContainerRegistry: push there.</summary>
    public string Registry { get; init; } = "";

    /// <summary>ContainerRepository.</summary>
    public required string Repository { get; init; }

    /// <summary>ContainerImageTags (or ContainerImageTag).</summary>
    public required IReadOnlyList<string> Tags { get; init; }

    /// <summary>ContainerArchiveOutputPath: a file (<c>.tar</c>, <c>.tar.gz</c>) or a directory to write <c>REPOSITORY.tar.gz</c> into.</summary>
    public string ArchiveOutputPath { get; init; } = "";

    /// <summary>LocalRegistry: Docker (the default) or Podman.</summary>
    public string LocalRegistry { get; init; } = "";

    /// <summary>ContainerImageFormat: OCI or Docker (empty: what the destination reads best).</summary>
    public string ImageFormat { get; init; } = "";

    /// <summary>The registry's reference of the first tag.</summary>
    public ImageReference Reference => ImageReference.Parse($"{Registry}/{Repository}:{Tags[0]}");

    /// <summary>The archive's path: the file named, or <c>REPOSITORY.tar.gz</c> in the directory named.</summary>
    public string ArchivePath
        => ArchiveOutputPath.EndsWith(".tar", StringComparison.OrdinalIgnoreCase) || ArchiveOutputPath.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase)
            ? Path.GetFullPath(ArchiveOutputPath)
            : Path.GetFullPath(Path.Combine(ArchiveOutputPath, Repository.Replace('/', '-') + ".tar.gz"));

    /// <summary>Checks the names before anything is built.</summary>
    /// <exception cref="ContainerSettingsException">The repository or a tag is not valid in a reference (DLB0003).</exception>
    public void Validate()
    {
        if (Tags.Count == 0) throw new ContainerSettingsException("no ContainerImageTag or ContainerImageTags");
        if (ImageFormat.Length > 0 && !ImageFormat.Equals("OCI", StringComparison.OrdinalIgnoreCase) && !ImageFormat.Equals("Docker", StringComparison.OrdinalIgnoreCase))
        {
            throw new ContainerSettingsException($"ContainerImageFormat '{ImageFormat}' is not OCI or Docker");
        }
        if (LocalRegistry.Length > 0 && !LocalRegistry.Equals("Docker", StringComparison.OrdinalIgnoreCase) && !LocalRegistry.Equals("Podman", StringComparison.OrdinalIgnoreCase))
        {
            throw new ContainerSettingsException($"LocalRegistry '{LocalRegistry}' is not Docker or Podman");
        }
        foreach (var tag in Tags)
        {
            var text = $"{(Registry.Length > 0 ? Registry : "localhost")}/{Repository}:{tag}";
            if (!ImageReference.TryParse(text, out _)) throw new ContainerSettingsException($"ContainerRepository '{Repository}' with tag '{tag}' is not a valid image reference (lowercase letters, digits and separators; tags up to 128 of [A-Za-z0-9_.-])");
        }
    }

    /// <summary>Whether the image goes to the archive file (which wins over a registry, as in the SDK).</summary>
    public bool IsArchive => ArchiveOutputPath.Length > 0;

    /// <summary>Whether the image is pushed to <see cref="Registry"/>.</summary>
    public bool IsRegistry => !IsArchive && Registry.Length > 0;

    /// <summary>Whether the image goes to docker or podman.</summary>
    public bool IsLocal => !IsArchive && Registry.Length == 0;

    /// <summary>The engine's name for <see cref="Engines.ContainerEngine.Find"/>; null lets it choose (docker, else podman).</summary>
    public string? EngineName => LocalRegistry.Length == 0 ? null : LocalRegistry.ToLowerInvariant();

    /// <summary>Whether the archive is an OCI archive (ContainerImageFormat=OCI) rather than a docker-archive.</summary>
    public bool OciArchive => ImageFormat.Equals("OCI", StringComparison.OrdinalIgnoreCase);
}
