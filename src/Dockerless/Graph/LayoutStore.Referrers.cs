namespace Dockerless.Graph;

internal sealed partial class LayoutStore
{
    /// <summary>
    /// The manifests index.json lists (tagged or not, as the image-spec's layout example lists a
    /// referrer) whose <c>subject</c> is <paramref name="subject"/>: each listed manifest is read.
    /// </summary>
    public override async Task<ReferrerList> ListReferrersAsync(Digest subject, string? artifactType, CancellationToken cancellationToken)
    {
        var index = await OciLayoutReader.ReadIndexFileAsync(await ContentsAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        var found = new List<Descriptor>();
        foreach (var entry in index.Manifests.Where(GraphCopy.IsManifest).DistinctBy(e => e.Digest).Where(e => e.Digest != subject))
        {
            var bytes = await ReadManifestAsync(entry, cancellationToken).ConfigureAwait(false);
            var document = RawManifest.Parse(bytes, entry.MediaType, $"{Where}@{entry.Digest}", entry.Digest);
            if (ReferrerDescriptor.SubjectOf(document)?.Digest == subject) found.Add(ReferrerDescriptor.Of(document));
        }
        return new ReferrerList(found, null).Filter(artifactType);
    }

    /// <summary>The ref names of index.json.</summary>
    public override async Task<IReadOnlyList<string>> LegacyTagsAsync(Digest subject, CancellationToken cancellationToken)
    {
        var index = await OciLayoutReader.ReadIndexFileAsync(await ContentsAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        var names = index.Manifests.Select(m => m.Annotations?.GetValueOrDefault(OciLayoutReader.RefNameAnnotation)).ToHashSet(StringComparer.Ordinal);
        return [.. ReferrersTag.Legacy(subject).Where(names.Contains)];
    }
}
