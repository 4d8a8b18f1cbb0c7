namespace Dockerless.Referrers;

/// <summary>What a referrers list says of a manifest, as the distribution spec's referrers API lists it.</summary>
internal static class ReferrerDescriptor
{
    /// <summary>
    /// The descriptor of <paramref name="document"/>: media type, digest and size, its
    /// <c>artifactType</c> (else a manifest's config media type) and its annotations.
    /// </summary>
    public static Descriptor Of(RawManifest document) => new()
    {
        MediaType = document.MediaType,
        Digest = document.Digest,
        Size = document.Bytes.Length,
        ArtifactType = document.Manifest is { } manifest ? manifest.ArtifactType ?? manifest.Config.MediaType : document.Index?.ArtifactType,
        Annotations = document.Manifest?.Annotations ?? document.Index?.Annotations,
    };

    /// <summary>The manifest <paramref name="document"/> refers to, if any.</summary>
    public static Descriptor? SubjectOf(RawManifest document) => document.Manifest?.Subject ?? document.Index?.Subject;

    /// <summary>Only what a <c>subject</c> field carries: media type, digest and size.</summary>
    public static Descriptor Bare(Descriptor descriptor) => new() { MediaType = descriptor.MediaType, Digest = descriptor.Digest, Size = descriptor.Size };
}
