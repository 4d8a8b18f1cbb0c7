using System.Text.Json;

namespace Dockerless.Manifests;

/// <summary>
/// A manifest or index with its exact bytes (as a registry served it, a file held it, or
/// Dockerless wrote it), their digest and media type, and the parsed document
/// (<see cref="Manifest"/> for an image, <see cref="Index"/> for an index or manifest list).
/// </summary>
public sealed class RawManifest
{
    private readonly byte[] _bytes;

    private RawManifest(byte[] bytes, Digest digest, string mediaType, ImageManifest? manifest, IndexManifest? index)
    {
        _bytes = bytes;
        Digest = digest;
        MediaType = mediaType;
        Manifest = manifest;
        Index = index;
    }

    /// <summary>The media type: one of the OCI or Docker schema 2 manifest or index types.</summary>
    public string MediaType { get; }

    /// <summary>The digest of <see cref="Bytes"/>.</summary>
    public Digest Digest { get; }

    /// <summary>The bytes, exactly as served or written.</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;

    /// <summary>The image manifest, or null for an index.</summary>
    public ImageManifest? Manifest { get; }

    /// <summary>The index or manifest list, or null for an image manifest.</summary>
    public IndexManifest? Index { get; }

    /// <summary>True for an OCI index or Docker manifest list.</summary>
    public bool IsIndex => Index is not null;

    internal byte[] RawBytes => _bytes;

    /// <summary>
    /// Parses served bytes. The media type is the document's own, else the Content-Type header;
    /// schema 1 and unknown types are refused with <see cref="InvalidImageFormatException"/>.
    /// <paramref name="digest"/> is theirs when the caller has already computed it.
    /// </summary>
    internal static RawManifest Parse(byte[] bytes, string? contentType, string source, Digest? digest = null)
    {
        string? declared;
        try
        {
            using var document = JsonDocument.Parse(bytes);
            // Before any lookup: TryGetProperty unescapes the property names it passes, and would throw at a bad one.
            JsonText.RefuseInvalidStrings(bytes);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new InvalidImageFormatException($"{source}: the manifest is not a JSON object but {root.ValueKind}");
            declared = root.TryGetProperty("mediaType", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            if (declared is null && root.TryGetProperty("manifests", out _)) declared = MediaTypes.OciIndex;
            if (root.TryGetProperty("schemaVersion", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var version) && version == 1) declared = MediaTypes.DockerManifestSchema1;
        }
        catch (JsonException e)
        {
            throw new InvalidImageFormatException($"{source}: the manifest is not JSON: {e.Message}", e);
        }
        var mediaType = declared ?? contentType ?? MediaTypes.OciManifest;
        var known = digest ?? Digest.Compute(bytes);
        if (mediaType is MediaTypes.DockerManifestSchema1 or MediaTypes.DockerManifestSchema1Signed)
        {
            throw new InvalidImageFormatException($"{source}: Docker schema 1 manifests are unsupported (deprecated since 2017); push the image again with a current client");
        }
        if (MediaTypes.IsIndex(mediaType))
        {
            var index = ManifestJsonContext.Parse(bytes, ManifestJsonContext.Documents.IndexManifest, source, "image index");
            return new RawManifest(bytes, known, mediaType, null, index);
        }
        var original = OriginalManifest.Parse(bytes, source, mediaType, known);
        return new RawManifest(bytes, known, original.MediaType, original.Manifest, null);
    }

    /// <summary>An image manifest's bytes as a raw manifest.</summary>
    internal static RawManifest Of(OriginalManifest manifest) => new(manifest.Bytes, manifest.Digest, manifest.MediaType, manifest.Manifest, null);

    /// <summary>An index's bytes as a raw manifest.</summary>
    internal static RawManifest Of(OriginalIndex index) => new(index.Bytes, index.Digest, index.MediaType, null, index.Index);

    internal OriginalManifest ToOriginal() => new(Manifest ?? throw new InvalidOperationException("an index is not an image manifest"), _bytes, Digest, MediaType);

    /// <inheritdoc/>
    public override string ToString() => $"{MediaType} {Digest} ({_bytes.Length} bytes)";
}
