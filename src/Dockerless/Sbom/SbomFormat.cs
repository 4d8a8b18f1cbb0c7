namespace Dockerless.Sbom;

/// <summary>The document an SBOM is written as.</summary>
public enum SbomFormat
{
    /// <summary>SPDX 2.3 JSON.</summary>
    SpdxJson,

    /// <summary>CycloneDX 1.5 JSON.</summary>
    CycloneDxJson,
}
