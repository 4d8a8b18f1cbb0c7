namespace Dockerless.Locations;

/// <summary>How <see cref="ImageLocation.CopyToAsync"/> copies.</summary>
public sealed record CopyOptions
{
    /// <summary>
    /// The platforms to copy. Empty (the default): every platform into a registry or an OCI layout,
    /// the one image (the host's platform where there are several) elsewhere. One: that platform's
    /// image alone. Several: a new index of just those, into a registry or an OCI layout.
    /// </summary>
    public IReadOnlyList<Platform> Platforms { get; init; } = [];

    /// <summary>
    /// Also copy, recursively, every manifest that refers to what is copied (signatures, SBOMs,
    /// attestations: the referrers of the top and of each manifest an index lists) and cosign's
    /// legacy tags (<c>sha256-HEX.sig</c>, <c>.att</c>, <c>.sbom</c>), digests kept. Only for a whole
    /// copy (no <see cref="Platforms"/>) between registries, OCI layouts and OCI archives.
    /// </summary>
    public bool Referrers { get; init; }

    /// <summary>The registry clients to use; null: clients with the default options, closed when the copy ends.</summary>
    public RegistryPool? Registries { get; init; }
}
