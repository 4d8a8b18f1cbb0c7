using System.Text.Json;
using System.Text.RegularExpressions;

namespace Dockerless.Referrers;

/// <summary>
/// The OCI 1.1 artifact manifest <see cref="ImageLocation.AttachAsync"/> writes: its
/// <c>artifactType</c>, the empty config (<c>{}</c>), one layer per file titled with its name (the
/// empty descriptor when there is none, as the image-spec advises), the <c>subject</c> and sorted
/// annotations. Nothing varies with the time or the machine: the same inputs give the same digest.
/// </summary>
internal static partial class ArtifactManifest
{
    /// <summary>The annotation oras and the image-spec give a layer for its file name.</summary>
    public const string TitleAnnotation = "org.opencontainers.image.title";

    private static readonly byte[] EmptyJson = "{}"u8.ToArray();

    /// <summary>The empty descriptor: <c>application/vnd.oci.empty.v1+json</c>, the 2 bytes <c>{}</c>.</summary>
    public static Descriptor Empty { get; } = new() { MediaType = MediaTypes.OciEmpty, Digest = Digest.Compute(EmptyJson), Size = EmptyJson.Length };

    /// <summary>A built artifact: its descriptor (with its artifactType and annotations, as a referrers list gives it), bytes and blobs.</summary>
    public sealed record Built(Descriptor Descriptor, byte[] Bytes, IReadOnlyList<GraphBlob> Blobs);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$")]
    private static partial Regex MediaTypeGrammar();

    /// <summary>Builds the artifact of <paramref name="options"/> for <paramref name="subject"/>; each file is read once here to hash it, and again when it is written.</summary>
    public static async Task<Built> BuildAsync(AttachOptions options, Descriptor subject, CancellationToken cancellationToken)
    {
        CheckMediaType(options.ArtifactType, "the artifact type");
        var blobs = new List<GraphBlob> { new(Empty, null, _ => Task.FromResult<Stream>(new MemoryStream(EmptyJson, writable: false))) };
        var layers = new List<Descriptor>();
        foreach (var file in options.Files)
        {
            CheckMediaType(file.MediaType, $"the media type of {file.Path}");
            var (digest, size) = await HashAsync(file.Path, cancellationToken).ConfigureAwait(false);
            var layer = new Descriptor
            {
                MediaType = file.MediaType,
                Digest = digest,
                Size = size,
                Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal) { [TitleAnnotation] = System.IO.Path.GetFileName(file.Path) },
            };
            layers.Add(layer);
            var path = file.Path;
            blobs.Add(new GraphBlob(layer, null, _ => Task.FromResult<Stream>(new HashingStream(File.OpenRead(path), digest, size, path))));
        }
        if (layers.Count == 0) layers.Add(Empty);
        var annotations = options.Annotations is { Count: > 0 } given ? new SortedDictionary<string, string>(given.ToDictionary(), StringComparer.Ordinal) : null;
        var manifest = new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            ArtifactType = options.ArtifactType,
            Config = Empty,
            Layers = layers,
            Subject = ReferrerDescriptor.Bare(subject),
            Annotations = annotations,
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(manifest, ManifestJsonContext.Documents.ImageManifest);
        var descriptor = new Descriptor { MediaType = MediaTypes.OciManifest, Digest = Digest.Compute(bytes), Size = bytes.Length, ArtifactType = options.ArtifactType, Annotations = annotations };
        return new Built(descriptor, bytes, blobs);
    }

    private static void CheckMediaType(string mediaType, string what)
    {
        if (string.IsNullOrEmpty(mediaType) || !MediaTypeGrammar().IsMatch(mediaType))
        {
            throw new ArgumentException($"{what} \"{mediaType}\" is not a media type (type/subtype, as application/vnd.example+json)");
        }
    }

    private static async Task<(Digest Digest, long Size)> HashAsync(string path, CancellationToken cancellationToken)
    {
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            var hash = await System.Security.Cryptography.SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
            return (Digest.FromHash(Digest.Sha256, hash), stream.Length);
        }
    }
}
