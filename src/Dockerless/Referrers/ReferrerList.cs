using System.Text.Json;

namespace Dockerless.Referrers;

/// <summary>The referrers of one manifest, and the index bytes a source served for them when those are the whole answer.</summary>
internal sealed record ReferrerList(IReadOnlyList<Descriptor> Referrers, byte[]? Bytes)
{
    /// <summary>An empty list.</summary>
    public static ReferrerList None { get; } = new([], null);

    /// <summary>The list as an OCI index, as the referrers API answers: the served bytes where they are the answer, else a new index.</summary>
    public RawManifest ToIndex(string what)
    {
        var bytes = Bytes ?? JsonSerializer.SerializeToUtf8Bytes(new IndexManifest { MediaType = MediaTypes.OciIndex, Manifests = Referrers }, ManifestJsonContext.Documents.IndexManifest);
        return RawManifest.Parse(bytes, MediaTypes.OciIndex, what);
    }

    /// <summary>Those of <paramref name="artifactType"/> (all when null).</summary>
    public ReferrerList Filter(string? artifactType)
        => artifactType is null ? this : new([.. Referrers.Where(r => r.ArtifactType == artifactType)], null);
}
