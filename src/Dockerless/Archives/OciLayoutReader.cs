
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
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";
    public const string ContainerdNameAnnotation = "io.containerd.image.name";

    /// <summary>
    /// True when a ref name is a whole reference (<c>example.com/app:1.0</c>, as skopeo writes what
    /// it was given) rather than a tag, which holds neither '/' nor ':'.
    /// </summary>
    internal static bool IsFullReference(string refName) => refName.Contains('/', StringComparison.Ordinal) || refName.Contains(':', StringComparison.Ordinal);

    /// <summary>A manifest to load, the top-level descriptor that named it and the index that listed it, if any.</summary>
    private sealed record Candidate(Descriptor Manifest, Descriptor Top, OriginalIndex? Index = null);

    public static async Task<IReadOnlyList<Image>> ReadAsync(ArchiveContents contents, ImageLoadOptions options, CancellationToken cancellationToken)
    {
        var indexRegion = contents.Locate(IndexFile, "an OCI image layout");
        var index = ArchiveJsonContext.Parse(
            await ArchiveContents.ReadAllAsync(indexRegion, null, -1, cancellationToken).ConfigureAwait(false),
            ManifestJsonContext.Documents.IndexManifest, indexRegion.What);
        var platform = options.Platform ?? Platform.Host;
        var candidates = new List<Candidate>();
        foreach (var top in index.Manifests)
        {
            foreach (var (manifest, listedIn) in await ResolveAsync(contents, top, platform, options.AllPlatforms, 0, cancellationToken).ConfigureAwait(false))
            {
                candidates.Add(new Candidate(manifest, top, listedIn));
            }
        }
        if (!options.AllPlatforms) candidates = PickPlatformPerName(contents.Source, candidates, platform);

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
            image.SourceIndex = candidate.Index;
            if (tag.Length > 0) image.Tags.Add(tag);
            loaded.Add((candidate.Manifest.Digest, name), image);
            images.Add(image);
        }
        return images;
    }

    /// <summary>
    /// The image manifests <paramref name="descriptor"/> leads to, each with the index blob that
    /// lists it (its bytes kept): itself, or the chosen ones of a (nested) index.
    /// </summary>
    private static async Task<List<(Descriptor Manifest, OriginalIndex? ListedIn)>> ResolveAsync(
        ArchiveContents contents, Descriptor descriptor, Platform platform, bool all, int depth, CancellationToken cancellationToken)
    {
        if (MediaTypes.IsManifest(descriptor.MediaType)) return [(descriptor, null)];
        if (!MediaTypes.IsIndex(descriptor.MediaType)) return [];
        var what = $"{contents.Source}: index {descriptor.Digest}";
        if (depth == IndexManifest.MaxNesting) throw IndexManifest.NestsTooDeep(what);
        var bytes = await contents.ReadBlobAsync(descriptor, IndexFile, cancellationToken).ConfigureAwait(false);
        var index = ArchiveJsonContext.Parse(bytes, ManifestJsonContext.Documents.IndexManifest, what);
        var original = OriginalIndex.Of(index, bytes, descriptor.MediaType, descriptor.Digest);
        var found = new List<(Descriptor Manifest, OriginalIndex? ListedIn)>();
        foreach (var child in index.Manifests.Where(m => all ? m.Platform?.Os != "unknown" : m.Platform is null || platform.Matches(m.Platform)))
        {
            var resolved = await ResolveAsync(contents, child, platform, all, depth + 1, cancellationToken).ConfigureAwait(false);
            found.AddRange(resolved.Select(r => (r.Manifest, (OriginalIndex?)(r.ListedIn ?? original))));
            if (!all && found.Count > 0) return found;
        }
        if (found.Count == 0 && !all)
        {
            throw new PlatformNotFoundException(what, platform, index.Manifests.Select(m => m.Platform?.ToString() ?? "(no platform)"));
        }
        return found;
    }

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
                ?? throw new PlatformNotFoundException($"{source}: {IndexFile}", platform, list.Select(c => c.Manifest.Platform!.ToString()));
            picked.Add(match);
        }
        return picked;
    }

    private static async Task<Image> LoadManifestAsync(ArchiveContents contents, Descriptor descriptor, CancellationToken cancellationToken)
    {
        var what = $"{contents.Source}: manifest {descriptor.Digest}";
        var bytes = await contents.ReadBlobAsync(descriptor, IndexFile, cancellationToken).ConfigureAwait(false);
        var manifest = OriginalManifest.Parse(bytes, what, descriptor.MediaType, descriptor.Digest);
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
    private static (string Name, string Tag) NameOf(Descriptor top)
    {
        var annotations = top.Annotations;
        if (annotations is null) return ("", "");
        if (annotations.TryGetValue(ContainerdNameAnnotation, out var full) && full.Length > 0) return RepoTag.Split(full);
        if (!annotations.TryGetValue(RefNameAnnotation, out var reference) || reference.Length == 0) return ("", "");
        return IsFullReference(reference) ? RepoTag.Split(reference) : ("", reference);
    }
}
