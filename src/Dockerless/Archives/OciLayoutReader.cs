
namespace Dockerless.Archives;

/// <summary>
/// Reads an OCI image layout (a directory or an oci-archive tar): <c>index.json</c>, then each
/// chosen manifest and config (kept byte for byte); layer blobs stay in place until opened.
/// Where an index offers several platforms, one is chosen (or all, on request).
/// </summary>
internal static class OciLayoutReader
{
    public const string IndexFile = "index.json";
    public const string LayoutFile = "oci-layout";

    /// <summary>The file that marks containers/image's <c>dir:</c> format, which is not read.</summary>
    public const string DirTransportVersionFile = "version";
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";
    public const string ContainerdNameAnnotation = "io.containerd.image.name";

    /// <summary>
    /// True when a ref name is a whole reference (<c>example.com/app:1.0</c>, as skopeo writes what
    /// it was given) rather than a tag, which holds neither '/' nor ':'.
    /// </summary>
    internal static bool IsFullReference(string refName) => refName.Contains('/', StringComparison.Ordinal) || refName.Contains(':', StringComparison.Ordinal);

    /// <summary>A manifest to load and the top-level descriptor that named it.</summary>
    private sealed record Candidate(Descriptor Manifest, Descriptor Top);

    /// <summary>
    /// Every image the layout names (or the one <paramref name="refName"/> names, chosen in
    /// <c>index.json</c> before any manifest is read; an error names <paramref name="where"/>), each for one platform
    /// (<see cref="ImageLoadOptions.Platform"/> where an index offers several).
    /// </summary>
    public static async Task<IReadOnlyList<Image>> ReadAsync(ArchiveContents contents, ImageLoadOptions options, CancellationToken cancellationToken, string? refName = null, string? where = null)
    {
        var index = await ReadIndexFileAsync(contents, cancellationToken).ConfigureAwait(false);
        var platform = options.Platform ?? Platform.Host;
        var candidates = new List<Candidate>();
        foreach (var top in ChooseTops(where ?? contents.Source, index, refName, oneName: where is not null))
        {
            foreach (var manifest in await ResolveAsync(contents, top, platform, false, 0, cancellationToken).ConfigureAwait(false))
            {
                candidates.Add(new Candidate(manifest, top));
            }
        }
        return await LoadAsync(contents, PickPlatformPerName(contents.Source, candidates, platform), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The multi-platform image the layout holds under <paramref name="refName"/> (a tag, or a whole
    /// reference as skopeo writes it; null: the layout's only name): an index blob with every image
    /// it lists through nested indexes (attestations, whose platform is <c>unknown</c>, aside), its
    /// bytes kept; or several manifests listed under that one name in <c>index.json</c>, as a new
    /// index. Null when the name leads to one image manifest or to nothing, or when the layout
    /// holds several names and none is asked for.
    /// </summary>
    public static async Task<ImageIndex?> ReadIndexAsync(ArchiveContents contents, string? refName, CancellationToken cancellationToken)
    {
        var index = await ReadIndexFileAsync(contents, cancellationToken).ConfigureAwait(false);
        List<Descriptor> tops = [.. index.Manifests.Where(t => refName is null || IsNamed(t, refName))];
        if (tops.Count == 0 || tops.Select(NameOf).Distinct().Count() != 1) return null;
        OriginalIndex? source = null;
        var candidates = new List<Candidate>();
        if (tops.Count == 1 && MediaTypes.IsIndex(tops[0].MediaType))
        {
            source = await ReadIndexBlobAsync(contents, tops[0], 0, cancellationToken).ConfigureAwait(false);
            foreach (var manifest in await ResolveListedAsync(contents, source, tops[0], Platform.Host, true, 0, cancellationToken).ConfigureAwait(false))
            {
                candidates.Add(new Candidate(manifest, tops[0]));
            }
        }
        else if (tops.Count > 1 && tops.All(t => MediaTypes.IsManifest(t.MediaType)))
        {
            candidates.AddRange(tops.Select(t => new Candidate(t, t)));
        }
        else
        {
            return null;
        }
        var (name, tag) = NameOf(tops[0]);
        var result = new ImageIndex(await LoadAsync(contents, candidates, cancellationToken).ConfigureAwait(false), source) { Name = name };
        if (tag.Length > 0) result.Tag = tag;
        return result;
    }

    /// <summary>
    /// The entries of <c>index.json</c> that <paramref name="refName"/> names (none is an error
    /// naming <paramref name="where"/> and listing the names there). Without a name: every entry, unless some are named and share one
    /// name, when the unnamed ones beside them (referrers: signatures, SBOMs) are left out. With
    /// <paramref name="oneName"/> (a location, which means one image), entries under several names
    /// are an error saying how to name one.
    /// </summary>
    internal static List<Descriptor> ChooseTops(string where, IndexManifest index, string? refName, bool oneName = false)
    {
        if (refName is not null)
        {
            List<Descriptor> named = [.. index.Manifests.Where(t => IsNamed(t, refName))];
            return named.Count > 0 ? named : throw new DockerlessException($"{where}: no image named {refName} in it (it has: {DescribeNames(index)})");
        }
        List<Descriptor> withNames = [.. index.Manifests.Where(t => NameOf(t) != ("", ""))];
        var names = withNames.Select(RefNameOf).Distinct(StringComparer.Ordinal).ToList();
        if (oneName && names.Count > 1)
        {
            throw new DockerlessException($"{where}: holds images under {names.Count} names ({string.Join(", ", names)}): name one, as {where}:{names[0]}");
        }
        return withNames.Count > 0 && withNames.Count < index.Manifests.Count && names.Count == 1
            ? withNames
            : [.. index.Manifests];
    }

    /// <summary>The name an entry is picked by: its ref name, else the name and tag of containerd's annotation.</summary>
    private static string RefNameOf(Descriptor top)
    {
        var (name, tag) = NameOf(top);
        return top.Annotations?.GetValueOrDefault(RefNameAnnotation) ?? $"{name}:{tag}";
    }

    /// <summary>The names <c>index.json</c> lists, for an error: each ref name once, and the unnamed entries by digest.</summary>
    internal static string DescribeNames(IndexManifest index)
    {
        var names = index.Manifests.Select(t => t.Annotations?.GetValueOrDefault(RefNameAnnotation) is { Length: > 0 } name ? name : $"<unnamed> {t.Digest} ({t.MediaType})")
            .Distinct(StringComparer.Ordinal).ToList();
        return names.Count == 0 ? "nothing" : string.Join(", ", names);
    }

    /// <summary>
    /// Whether a top-level entry is named <paramref name="refName"/>: by its tag, or by name and
    /// tag when <paramref name="refName"/> is a whole reference.
    /// </summary>
    internal static bool IsNamed(Descriptor top, string refName)
    {
        var (name, tag) = NameOf(top);
        if (!IsFullReference(refName)) return tag == refName;
        var (wantedName, wantedTag) = RepoTag.Split(refName);
        return tag == wantedTag && ImageNames.Same(name, wantedName);
    }

    internal static async Task<IndexManifest> ReadIndexFileAsync(ArchiveContents contents, CancellationToken cancellationToken)
    {
        if (!contents.Contains(IndexFile) && contents.Contains(DirTransportVersionFile) && contents.Contains(DockerArchiveReader.ManifestFile))
        {
            throw new InvalidImageFormatException(
                $"{contents.Source}: a containers/image dir: directory (podman save --format docker-dir, skopeo copy to dir:), not an OCI layout; convert it: skopeo copy dir:{contents.Source} oci:{contents.Source}.oci:latest");
        }
        var indexRegion = contents.Locate(IndexFile, "an OCI image layout");
        return ArchiveJsonContext.Parse(
            await ArchiveContents.ReadAllAsync(indexRegion, null, -1, cancellationToken).ConfigureAwait(false),
            ManifestJsonContext.Documents.IndexManifest, indexRegion.What);
    }

    /// <summary>Loads the candidates' images; one manifest listed under several tags of one name is one image with those tags.</summary>
    private static async Task<List<Image>> LoadAsync(ArchiveContents contents, IEnumerable<Candidate> candidates, CancellationToken cancellationToken)
    {
        var images = new List<Image>();
        var loaded = new Dictionary<(Digest, string), Image>();
        foreach (var candidate in candidates)
        {
            var (name, tag) = NameOf(candidate.Top);
            if (loaded.TryGetValue((candidate.Manifest.Digest, name), out var same))
            {
                if (tag.Length > 0 && !same.Tags.Contains(tag)) same.Tags.Add(tag);
                continue;
            }
            var image = await LoadManifestAsync(contents, candidate.Manifest, cancellationToken).ConfigureAwait(false);
            image.Name = name;
            if (tag.Length > 0) image.Tags.Add(tag);
            loaded.Add((candidate.Manifest.Digest, name), image);
            images.Add(image);
        }
        return images;
    }

    /// <summary>
    /// The image manifests <paramref name="descriptor"/> leads to: itself, or the chosen ones of a
    /// (nested) index (<paramref name="platform"/>'s, or with <paramref name="all"/> every one).
    /// </summary>
    private static async Task<List<Descriptor>> ResolveAsync(
        ArchiveContents contents, Descriptor descriptor, Platform platform, bool all, int depth, CancellationToken cancellationToken)
    {
        // An index entry without a platform may be an artifact (a referrer kept beside the images), which is no image.
        if (MediaTypes.IsManifest(descriptor.MediaType) && depth > 0 && descriptor.Platform is null && await IsArtifactAsync(contents, descriptor, cancellationToken).ConfigureAwait(false)) return [];
        if (MediaTypes.IsManifest(descriptor.MediaType)) return [descriptor];
        if (!MediaTypes.IsIndex(descriptor.MediaType)) return [];
        var index = await ReadIndexBlobAsync(contents, descriptor, depth, cancellationToken).ConfigureAwait(false);
        return await ResolveListedAsync(contents, index, descriptor, platform, all, depth, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> IsArtifactAsync(ArchiveContents contents, Descriptor descriptor, CancellationToken cancellationToken)
    {
        var bytes = await contents.ReadBlobAsync(descriptor, IndexFile, cancellationToken).ConfigureAwait(false);
        return OriginalManifest.IsArtifact(OriginalManifest.Parse(bytes, $"{contents.Source}: manifest {descriptor.Digest}", descriptor.MediaType, descriptor.Digest).Manifest);
    }

    private static async Task<OriginalIndex> ReadIndexBlobAsync(ArchiveContents contents, Descriptor descriptor, int depth, CancellationToken cancellationToken)
    {
        var what = $"{contents.Source}: index {descriptor.Digest}";
        if (depth == IndexManifest.MaxNesting) throw IndexManifest.NestsTooDeep(what);
        var bytes = await contents.ReadBlobAsync(descriptor, IndexFile, cancellationToken).ConfigureAwait(false);
        var index = ArchiveJsonContext.Parse(bytes, ManifestJsonContext.Documents.IndexManifest, what);
        return OriginalIndex.Of(index, bytes, descriptor.MediaType, descriptor.Digest);
    }

    /// <summary>The image manifests the index <paramref name="original"/> (read from <paramref name="descriptor"/>) lists, chosen as <see cref="ResolveAsync"/> says.</summary>
    private static async Task<List<Descriptor>> ResolveListedAsync(
        ArchiveContents contents, OriginalIndex original, Descriptor descriptor, Platform platform, bool all, int depth, CancellationToken cancellationToken)
    {
        var index = original.Index;
        var found = new List<Descriptor>();
        // Entries of the platform first; one without a platform (the spec allows it) only when none is.
        var children = all
            ? index.Manifests.Where(m => m.Platform?.Os != "unknown")
            : index.Manifests.Where(m => m.Platform is not null && platform.Matches(m.Platform)).Concat(index.Manifests.Where(m => m.Platform is null && IsImageOrIndex(m)));
        foreach (var child in children)
        {
            found.AddRange(await ResolveAsync(contents, child, platform, all, depth + 1, cancellationToken).ConfigureAwait(false));
            if (!all && found.Count > 0) return found;
        }
        // A nested index without the platform is passed over; the index named by the tag says what it has.
        if (found.Count == 0 && !all && depth == 0)
        {
            throw new PlatformNotFoundException($"{contents.Source}: index {descriptor.Digest}", platform, index.Manifests.Select(PlatformNotFoundException.Describe));
        }
        return found;
    }

    private static bool IsImageOrIndex(Descriptor descriptor) => MediaTypes.IsManifest(descriptor.MediaType) || MediaTypes.IsIndex(descriptor.MediaType);

    /// <summary>
    /// index.json may itself list one manifest per platform under the same name: keep the one
    /// for <paramref name="platform"/> there. A name with one manifest keeps it whatever its platform.
    /// </summary>
    private static List<Candidate> PickPlatformPerName(string source, List<Candidate> candidates, Platform platform)
    {
        var picked = new List<Candidate>();
        foreach (var group in candidates.GroupBy(c => NameOf(c.Top)))
        {
            var list = group.ToList();
            if (list.Count == 1 || list.Any(c => c.Manifest.Platform is null))
            {
                picked.AddRange(list);
                continue;
            }
            var match = list.FirstOrDefault(c => platform.Matches(c.Manifest.Platform!))
                ?? throw new PlatformNotFoundException($"{source}: {IndexFile}", platform, list.Select(c => PlatformNotFoundException.Describe(c.Manifest)));
            picked.Add(match);
        }
        return picked;
    }

    private static async Task<Image> LoadManifestAsync(ArchiveContents contents, Descriptor descriptor, CancellationToken cancellationToken)
    {
        var what = $"{contents.Source}: manifest {descriptor.Digest}";
        var bytes = await contents.ReadBlobAsync(descriptor, IndexFile, cancellationToken).ConfigureAwait(false);
        var manifest = OriginalManifest.Parse(bytes, what, descriptor.MediaType, descriptor.Digest);
        OriginalManifest.RefuseArtifact(manifest.Manifest, what);
        var configBytes = await contents.ReadBlobAsync(manifest.Manifest.Config, what, cancellationToken).ConfigureAwait(false);
        var configuration = DockerArchiveReader.ParseConfig(configBytes, $"{contents.Source}: config {manifest.Manifest.Config.Digest}");
        var diffIds = configuration.RootFs.DiffIds;
        if (diffIds.Count != manifest.Manifest.Layers.Count)
        {
            throw new InvalidImageFormatException($"{what}: {manifest.Manifest.Layers.Count} layers, but its config lists {diffIds.Count} diff_ids");
        }
        var layers = new List<Layer>();
        for (var i = 0; i < diffIds.Count; i++)
        {
            var layer = manifest.Manifest.Layers[i];
            if (MediaTypes.IsForeignLayer(layer.MediaType) && !contents.Contains(ArchiveContents.BlobPath(layer.Digest)))
            {
                // Non-distributable layers are often listed without their blob: known by descriptor only.
                layers.Add(new ForeignLayer(layer, diffIds[i], what));
                continue;
            }
            var region = contents.Locate(ArchiveContents.BlobPath(layer.Digest), what);
            if (region.Length != layer.Size)
            {
                throw new DigestMismatchException(region.What, layer.Digest, layer.Digest, layer.Size, region.Length);
            }
            layers.Add(new FileLayer(region, layer.Digest, diffIds[i], layer.MediaType, layer.Urls));
        }
        return Image.FromParts(configBytes, configuration, layers, $"{contents.Source}: config {manifest.Manifest.Config.Digest}", manifest);
    }

    /// <summary>
    /// The name and tag a top-level descriptor gives. skopeo and umoci put the tag alone in
    /// <c>org.opencontainers.image.ref.name</c>; containerd (and Dockerless) add the full name.
    /// </summary>
    internal static (string Name, string Tag) NameOf(Descriptor top)
    {
        var annotations = top.Annotations;
        if (annotations is null) return ("", "");
        if (annotations.TryGetValue(ContainerdNameAnnotation, out var full) && full.Length > 0) return RepoTag.Split(full);
        if (!annotations.TryGetValue(RefNameAnnotation, out var reference) || reference.Length == 0) return ("", "");
        return IsFullReference(reference) ? RepoTag.Split(reference) : ("", reference);
    }
}
