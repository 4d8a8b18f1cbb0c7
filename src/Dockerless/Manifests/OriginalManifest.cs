using System.Text.Json;

namespace Dockerless.Manifests;

/// <summary>A manifest with the exact bytes it was read or written as, and their digest.</summary>
internal sealed record OriginalManifest(ImageManifest Manifest, byte[] Bytes, Digest Digest, string MediaType)
{
    /// <summary>
    /// Parses <paramref name="bytes"/>, keeping them; <paramref name="source"/> names them in
    /// errors. <paramref name="digest"/> is theirs when the caller has already checked it.
    /// </summary>
    public static OriginalManifest Parse(byte[] bytes, string source, string? mediaType = null, Digest? digest = null)
    {
        var manifest = ManifestJsonContext.Parse(bytes, ManifestJsonContext.Documents.ImageManifest, source, "image manifest");
        var type = manifest.MediaType ?? mediaType ?? MediaTypes.OciManifest;
        if (!MediaTypes.IsManifest(type))
        {
            throw new InvalidImageFormatException($"{source}: unsupported manifest media type \"{type}\"");
        }
        return new OriginalManifest(manifest, bytes, digest ?? Digest.Compute(bytes), type);
    }

    /// <summary>Serializes a manifest Dockerless made.</summary>
    public static OriginalManifest From(ImageManifest manifest)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(manifest, ManifestJsonContext.Documents.ImageManifest);
        return new OriginalManifest(manifest, bytes, Digest.Compute(bytes), manifest.MediaType ?? MediaTypes.OciManifest);
    }

    /// <summary>True for an OCI artifact: an <c>artifactType</c>, or a config that is no image config.</summary>
    public static bool IsArtifact(ImageManifest manifest) => manifest.ArtifactType is not null || manifest.Config.MediaType is not (MediaTypes.OciConfig or MediaTypes.DockerConfig);

    /// <summary>
    /// Refuses an OCI artifact (an <c>artifactType</c>, or a config that is no image config) where an
    /// image is needed: it has no filesystem to export, flatten, unpack, run, append to or build on.
    /// </summary>
    public static void RefuseArtifact(ImageManifest manifest, string what)
    {
        if (!IsArtifact(manifest)) return;
        var type = manifest.ArtifactType ?? manifest.Config.MediaType;
        throw new InvalidImageFormatException($"{what}: an artifact ({type}), not an image: it has no filesystem to export, flatten, unpack, run or build on (digest, manifest, config, inspect and copy take it)");
    }
}
