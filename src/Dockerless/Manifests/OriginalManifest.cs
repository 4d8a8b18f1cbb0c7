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
}
