using System.Text.Json;

namespace Dockerless.Archives;

/// <summary>
/// What an OCI layout of some images holds, worked out before a byte is written: the blobs
/// (each once, whatever number of images share it) and the index descriptors. Every digest is
/// known up front (layers know theirs; configs and manifests are small), so a tar can put
/// <c>index.json</c> before the blobs.
/// </summary>
internal sealed class OciLayoutPlan
{
    /// <summary>A blob to write: its descriptor, and either its bytes or what streams them (a layer, a blob of another store).</summary>
    public sealed record Blob(Digest Digest, long Size, byte[]? Bytes, Func<CancellationToken, Task<Stream>>? Source)
    {
        /// <summary>The blob's path in the layout.</summary>
        public string Path => ArchiveContents.BlobPath(Digest);

        /// <summary>Opens the bytes; a streamed blob checks its digest and size as it is read.</summary>
        public async Task<Stream> OpenAsync(CancellationToken cancellationToken)
            => Bytes is not null ? new MemoryStream(Bytes, writable: false) : await Source!(cancellationToken).ConfigureAwait(false);
    }

    private readonly Dictionary<Digest, Blob> _blobs = [];

    /// <summary>The blobs, layers first, in the order the images list them.</summary>
    public List<Blob> Blobs { get; } = [];

    /// <summary>The index's manifest descriptors: one per image and tag.</summary>
    public List<Descriptor> Manifests { get; } = [];

    /// <summary>The plan for <paramref name="images"/> and, each under its own name and tags, <paramref name="indexes"/>.</summary>
    public OciLayoutPlan(IEnumerable<Image> images, IEnumerable<ImageIndex> indexes)
    {
        var entries = new List<(string Name, string? Tag, Image Image, OriginalManifest Manifest)>();
        foreach (var image in images)
        {
            var manifest = AddImage(WrittenImage.Of(image));
            foreach (var tag in TagsOf(image.Tags)) entries.Add((image.Name, tag, image, manifest));
        }
        foreach (var group in entries.GroupBy(e => (e.Name, e.Tag)))
        {
            var (name, tag) = group.Key;
            var members = group.ToList();
            if (members.Count > 1 && tag is not null)
            {
                // Several platforms under one tag: one index blob for them, so that the tag stays unique in index.json.
                AddIndex(OriginalIndex.For([.. members.Select(m => m.Image)], [.. members.Select(m => m.Manifest)], null, new Dictionary<string, string>()), name, [tag]);
                continue;
            }
            foreach (var (_, _, image, manifest) in members)
            {
                Manifests.Add(new Descriptor
                {
                    MediaType = manifest.MediaType,
                    Digest = manifest.Digest,
                    Size = manifest.Bytes.Length,
                    Platform = image.Platform,
                    Annotations = Annotations(name, tag),
                });
            }
        }
        foreach (var index in indexes)
        {
            var (document, written) = index.Snapshot();
            foreach (var image in written) AddImage(image);
            AddIndex(document, index.Name, TagsOf(index.Tags));
        }
    }

    /// <summary>The tags to list an entry under: each non-empty one, or one entry without a name.</summary>
    private static List<string?> TagsOf(List<string> tags)
    {
        List<string?> named = [.. tags.Where(t => t.Length > 0)];
        return named.Count == 0 ? [null] : named;
    }

    /// <summary>Adds an image's layers, config and manifest; a foreign layer whose blob is not here goes by descriptor alone (its URLs are never fetched).</summary>
    private OriginalManifest AddImage(WrittenImage written)
    {
        var (image, config, manifest) = written;
        foreach (var layer in image.Layers.Where(l => l.IsLocal || !MediaTypes.IsForeignLayer(l.MediaType))) Add(new Blob(layer.Digest, layer.Size, null, layer.OpenAsync));
        Add(new Blob(manifest.Manifest.Config.Digest, config.Length, config, null));
        Add(new Blob(manifest.Digest, manifest.Bytes.Length, manifest.Bytes, null));
        return manifest;
    }

    private void AddIndex(OriginalIndex index, string name, List<string?> tags)
    {
        Add(new Blob(index.Digest, index.Bytes.Length, index.Bytes, null));
        foreach (var tag in tags)
        {
            Manifests.Add(new Descriptor { MediaType = index.MediaType, Digest = index.Digest, Size = index.Bytes.Length, Annotations = Annotations(name, tag) });
        }
    }

    /// <summary>
    /// The tag alone in <c>org.opencontainers.image.ref.name</c>, as skopeo and umoci write and
    /// read it; the full name in containerd's annotation, so that loading gives the name back. A
    /// "tag" that is a whole reference (<c>oci:DIR:example.com/app:1</c>, which skopeo writes as
    /// it is) is that full name itself, when it is a reference. An image's own name and tag must
    /// make a reference, as for a docker-archive, since containerd parses the annotation on import:
    /// else an <see cref="InvalidReferenceException"/> before a byte is written.
    /// </summary>
    internal static Dictionary<string, string>? Annotations(string name, string? tag)
    {
        if (tag is null) return null;
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal) { [OciLayoutReader.RefNameAnnotation] = tag };
        if (OciLayoutReader.IsFullReference(tag))
        {
            if (ImageReference.TryParse(tag, out _)) annotations[OciLayoutReader.ContainerdNameAnnotation] = tag;
        }
        else if (name.Length > 0)
        {
            var reference = $"{name}:{tag}";
            ImageReference.Parse(reference);
            annotations[OciLayoutReader.ContainerdNameAnnotation] = reference;
        }
        return annotations;
    }

    private void Add(Blob blob)
    {
        if (_blobs.TryAdd(blob.Digest, blob)) Blobs.Add(blob);
    }

    /// <summary>
    /// The <c>index.json</c> listing <paramref name="manifests"/>; with <paramref name="existing"/>
    /// (a layout's index being added to), its other fields are kept: another tool's annotations and
    /// fields this version does not know are not ours to drop.
    /// </summary>
    public static byte[] IndexBytes(IEnumerable<Descriptor> manifests, IndexManifest? existing = null)
        => JsonSerializer.SerializeToUtf8Bytes(
            existing is null
                ? new IndexManifest { MediaType = MediaTypes.OciIndex, Manifests = [.. manifests] }
                : existing with { MediaType = existing.MediaType ?? MediaTypes.OciIndex, Manifests = [.. manifests] },
            ManifestJsonContext.Documents.IndexManifest);

    /// <summary>The <c>oci-layout</c> file.</summary>
    public static byte[] LayoutBytes()
        => JsonSerializer.SerializeToUtf8Bytes(new OciLayoutFile(), ArchiveJsonContext.Default.OciLayoutFile);
}
