namespace Dockerless.Locations;

/// <summary>What <see cref="ImageLocation.AttachAsync"/> attaches to an image: an OCI 1.1 artifact whose <c>subject</c> is the image.</summary>
public sealed record AttachOptions
{
    /// <summary>The artifact's <c>artifactType</c>, a media type (<c>application/vnd.example.sbom+json</c>).</summary>
    public required string ArtifactType { get; init; }

    /// <summary>The files, one layer each, titled with their file names; none: the artifact's one layer is the empty descriptor.</summary>
    public IReadOnlyList<ArtifactFile> Files { get; init; } = [];

    /// <summary>The manifest's annotations (written sorted by key).</summary>
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>The registry clients to use; null: clients with the default options, closed when the call ends.</summary>
    public RegistryPool? Registries { get; init; }
}
