using System.Text.Json;

namespace Dockerless.Manifests;

/// <summary>An image index with the exact bytes it was read or written as, and their digest.</summary>
internal sealed record OriginalIndex(IndexManifest Index, byte[] Bytes, Digest Digest, string MediaType)
{
    /// <summary>Keeps bytes already parsed as <paramref name="index"/>, and their <paramref name="digest"/>, already checked.</summary>
    public static OriginalIndex Of(IndexManifest index, byte[] bytes, string? mediaType, Digest digest)
        => new(index, bytes, digest, index.MediaType ?? mediaType ?? MediaTypes.OciIndex);

    /// <summary>
    /// The index of <paramref name="images"/>, whose manifests are <paramref name="manifests"/>:
    /// <paramref name="source"/> (the index they were loaded from), byte for byte, when they are
    /// exactly its entries and none was edited (as crane keeps it); else a new index listing them
    /// with their platforms and <paramref name="annotations"/>: a Docker manifest list when every
    /// manifest is Docker's and there is no annotation (a manifest list has no field for them), an OCI index otherwise.
    /// </summary>
    public static OriginalIndex For(IReadOnlyList<Image> images, IReadOnlyList<OriginalManifest> manifests, OriginalIndex? source, IDictionary<string, string> annotations)
    {
        if (source is not null
            && manifests.Select(m => m.Digest).ToHashSet().SetEquals(source.Index.Manifests.Select(d => d.Digest))
            && manifests.Count == source.Index.Manifests.Count
            && SameAnnotations(source.Index.Annotations, annotations))
        {
            return source;
        }
        var mediaType = annotations.Count == 0 && manifests.All(m => m.MediaType == MediaTypes.DockerManifest) ? MediaTypes.DockerManifestList : MediaTypes.OciIndex;
        var index = new IndexManifest
        {
            MediaType = mediaType,
            Manifests = [.. images.Zip(manifests, (image, manifest) => new Descriptor
            {
                MediaType = manifest.MediaType,
                Digest = manifest.Digest,
                Size = manifest.Bytes.Length,
                Platform = image.Platform,
            })],
            Annotations = annotations.Count == 0 ? null : new SortedDictionary<string, string>(annotations, StringComparer.Ordinal),
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(index, ManifestJsonContext.Documents.IndexManifest);
        return new OriginalIndex(index, bytes, Digest.Compute(bytes), mediaType);
    }

    private static bool SameAnnotations(IReadOnlyDictionary<string, string>? read, IDictionary<string, string> now)
        => (read?.Count ?? 0) == now.Count && (read ?? new Dictionary<string, string>()).All(a => now.TryGetValue(a.Key, out var value) && value == a.Value);
}
