namespace Dockerless.Locations;

/// <summary>A file an artifact carries as a layer, with the layer's media type.</summary>
/// <param name="Path">The file to read.</param>
/// <param name="MediaType">The layer's media type; by default <c>application/octet-stream</c>, as oras gives a file.</param>
public sealed record ArtifactFile(string Path, string MediaType = ArtifactFile.DefaultMediaType)
{
    /// <summary>The media type of a file given none.</summary>
    public const string DefaultMediaType = "application/octet-stream";
}
