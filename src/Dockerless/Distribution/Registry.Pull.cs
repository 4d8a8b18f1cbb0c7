
namespace Dockerless.Distribution;

public sealed partial class Registry
{
    /// <summary>
    /// Pulls <paramref name="name"/> (a repository here, or a whole reference) at
    /// <paramref name="tag"/> (a tag or a digest; one written in <paramref name="name"/> wins);
    /// see <see cref="PullImageAsync(ImageReference, bool, Platform?, CancellationToken)"/>.
    /// </summary>
    public Task<Image> PullImageAsync(string name, string tag = ImageReference.DefaultTag, bool lazy = false, Platform? platform = null, CancellationToken cancellationToken = default)
        => PullImageAsync(Resolve(name, tag), lazy, platform, cancellationToken);

    /// <summary>
    /// Pulls the image <paramref name="reference"/> names on this registry. When it is an index or
    /// manifest list, the manifest for <paramref name="platform"/> (default: linux and this
    /// machine's architecture) is chosen. Eagerly, every layer is downloaded and verified (into
    /// the blob cache, or temporary files the image deletes when disposed); with
    /// <paramref name="lazy"/> only manifest and config are fetched, and layers download when first
    /// read. The manifest and config keep their exact bytes.
    /// </summary>
    public async Task<Image> PullImageAsync(ImageReference reference, bool lazy = false, Platform? platform = null, CancellationToken cancellationToken = default)
    {
        var repository = RepositoryOf(reference);
        var top = await _api.GetManifestAsync(repository, reference.Identifier, cancellationToken).ConfigureAwait(false);
        return await PullImageAsync(reference, top, lazy, platform, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The image of <paramref name="top"/>, the manifest or index <see cref="GetManifestAsync(ImageReference, CancellationToken)"/>
    /// gave for <paramref name="reference"/>, without asking for the tag again: the image and
    /// <paramref name="top"/>'s digest then describe one document even when the tag moves meanwhile
    /// (an index's image manifest is fetched by its digest).
    /// </summary>
    public async Task<Image> PullImageAsync(ImageReference reference, RawManifest top, bool lazy = false, Platform? platform = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(top);
        var repository = RepositoryOf(reference);
        var manifest = await ResolveImageManifestAsync(repository, reference.Identifier, top, platform, cancellationToken).ConfigureAwait(false);
        var original = manifest.ToOriginal();
        OriginalManifest.RefuseArtifact(original.Manifest, $"{Host}/{repository}@{manifest.Digest}");
        var configBytes = await ReadBlobAsync(repository, original.Manifest.Config, cancellationToken).ConfigureAwait(false);
        var configuration = ImageConfiguration.Parse(configBytes, $"{Host}/{repository}@{manifest.Digest}");
        if (platform is not null) RequireOwnPlatform(PlatformOfConfig(configBytes), $"{Host}/{repository}:{reference.Identifier}", [platform]);
        var diffIds = configuration.RootFs.DiffIds;
        if (diffIds.Count != original.Manifest.Layers.Count)
        {
            throw new InvalidImageFormatException($"{Host}/{repository}@{manifest.Digest}: the config lists {diffIds.Count} diff_ids but the manifest has {original.Manifest.Layers.Count} layers");
        }
        var origin = new BlobOrigin(this, repository);
        var shared = new Dictionary<Digest, RemoteLayer>();
        var layers = original.Manifest.Layers
            .Select((d, i) => shared.TryGetValue(d.Digest, out var same) ? same : shared[d.Digest] = new RemoteLayer(origin, d, diffIds[i]))
            .ToList();
        if (!lazy)
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelBlobs, CancellationToken = cancellationToken };
            try
            {
                await Parallel.ForEachAsync(shared.Values.Where(l => !MediaTypes.IsForeignLayer(l.MediaType)).OrderByDescending(l => l.Size), parallel, async (layer, ct) => await layer.FetchAsync(ct).ConfigureAwait(false)).ConfigureAwait(false);
            }
            catch
            {
                // The layers fetched before the failure hold temporary files nobody else will delete.
                foreach (var layer in shared.Values) await layer.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        var image = Image.FromParts(configBytes, configuration, layers, $"{Host}/{repository}@{manifest.Digest}", original);
        image.Name = reference.FamiliarName;
        if (reference.Digest is null && reference.Tag is { } tag) image.Tag = tag;
        return image;
    }

    /// <summary>
    /// The config blob of the image manifest <paramref name="reference"/> names (the one for
    /// <paramref name="platform"/> in an index), verified and exactly as stored, whatever it holds:
    /// an artifact's config too, which no image could be made of (as crane config prints it). With
    /// <paramref name="platform"/>, the config must name that platform (an artifact's names none),
    /// else <see cref="PlatformNotFoundException"/>.
    /// </summary>
    public async Task<byte[]> GetRawConfigAsync(ImageReference reference, Platform? platform = null, CancellationToken cancellationToken = default)
    {
        var repository = RepositoryOf(reference);
        var top = await _api.GetManifestAsync(repository, reference.Identifier, cancellationToken).ConfigureAwait(false);
        var manifest = await ResolveImageManifestAsync(repository, reference.Identifier, top, platform, cancellationToken).ConfigureAwait(false);
        var bytes = await ReadBlobAsync(repository, manifest.ToOriginal().Manifest.Config, cancellationToken).ConfigureAwait(false);
        if (platform is not null) RequireOwnPlatform(PlatformOfConfig(bytes), $"{Host}/{repository}:{reference.Identifier}", [platform]);
        return bytes;
    }

    /// <summary>
    /// Each platform asked for must be the image's own (<paramref name="own"/>, as its config names
    /// it; null when it names none), as docker pull --platform checks: a plain manifest has no
    /// platforms to choose from, and an index's entry must not be a config of another platform.
    /// </summary>
    private static void RequireOwnPlatform(Platform? own, string source, IEnumerable<Platform> wanted)
    {
        foreach (var platform in wanted)
        {
            if (own is null || !platform.Matches(own)) throw new PlatformNotFoundException(source, platform, [own?.ToString() ?? "none (its config names no platform)"]);
        }
    }

    /// <summary>The os, architecture and variant a config names, or null when it names none (an artifact's config).</summary>
    private static Platform? PlatformOfConfig(byte[] bytes)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(bytes);
            var root = document.RootElement;
            string? Text(string name) => root.ValueKind == System.Text.Json.JsonValueKind.Object && root.TryGetProperty(name, out var value)
                && value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString() : null;
            return Text("os") is { } os && Text("architecture") is { } architecture ? new Platform { Os = os, Architecture = architecture, Variant = Text("variant") } : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>Checks a plain manifest's own platform against <paramref name="wanted"/>, reading its config.</summary>
    private async Task RequireOwnPlatformAsync(string repository, RawManifest manifest, IReadOnlyList<Platform> wanted, CancellationToken cancellationToken)
    {
        if (wanted.Count == 0 || manifest.Manifest is not { } plain) return;
        var bytes = await ReadBlobAsync(repository, plain.Config, cancellationToken).ConfigureAwait(false);
        RequireOwnPlatform(PlatformOfConfig(bytes), $"{Host}/{repository}@{manifest.Digest}", wanted);
    }

    /// <summary>
    /// The manifest or index at <paramref name="reference"/> (a tag or digest) of <paramref name="name"/>;
    /// see <see cref="GetManifestAsync(ImageReference, CancellationToken)"/>.
    /// </summary>
    public Task<RawManifest> GetManifestAsync(string name, string reference = ImageReference.DefaultTag, CancellationToken cancellationToken = default)
        => GetManifestAsync(Resolve(name, reference), cancellationToken);

    /// <summary>
    /// The manifest or index <paramref name="reference"/> names, with its exact bytes, verified
    /// against the digest the reference or the registry gives. Schema 1 manifests are refused as unsupported.
    /// </summary>
    public Task<RawManifest> GetManifestAsync(ImageReference reference, CancellationToken cancellationToken = default)
        => _api.GetManifestAsync(RepositoryOf(reference), reference.Identifier, cancellationToken);

    /// <summary>The digest of the manifest or index at <paramref name="reference"/> of <paramref name="name"/>, by a HEAD request.</summary>
    public Task<Digest> GetDigestAsync(string name, string reference = ImageReference.DefaultTag, CancellationToken cancellationToken = default)
        => GetDigestAsync(Resolve(name, reference), cancellationToken);

    /// <summary>The digest of the manifest or index <paramref name="reference"/> names, by a HEAD request.</summary>
    public Task<Digest> GetDigestAsync(ImageReference reference, CancellationToken cancellationToken = default)
        => _api.GetDigestAsync(RepositoryOf(reference), reference.Identifier, cancellationToken);

    /// <summary>The image configuration at <paramref name="reference"/> of <paramref name="name"/>; see <see cref="GetConfigAsync(ImageReference, Platform?, CancellationToken)"/>.</summary>
    public Task<ImageConfiguration> GetConfigAsync(string name, string reference = ImageReference.DefaultTag, Platform? platform = null, CancellationToken cancellationToken = default)
        => GetConfigAsync(Resolve(name, reference), platform, cancellationToken);

    /// <summary>
    /// The image configuration <paramref name="reference"/> names, for <paramref name="platform"/> when
    /// it is an index. A platform asked of a single-platform image must be the one its config names,
    /// else <see cref="PlatformNotFoundException"/>, as for <see cref="PullImageAsync(ImageReference, bool, Platform?, CancellationToken)"/>.
    /// </summary>
    public async Task<ImageConfiguration> GetConfigAsync(ImageReference reference, Platform? platform = null, CancellationToken cancellationToken = default)
    {
        var bytes = await GetRawConfigAsync(reference, platform, cancellationToken).ConfigureAwait(false);
        return ImageConfiguration.Parse(bytes, $"{Host}/{reference.Repository}:{reference.Identifier}: config");
    }

    /// <summary>
    /// The image manifest of <paramref name="top"/>, which <paramref name="reference"/> named: itself,
    /// or for an index (nested ones too) the platform's manifest.
    /// </summary>
    private async Task<RawManifest> ResolveImageManifestAsync(string repository, string reference, RawManifest top, Platform? platform, CancellationToken cancellationToken)
    {
        if (top.Index is not { } index) return top;
        var wanted = platform ?? Platform.Host;
        var offered = await ImagesOfIndexAsync(repository, top, cancellationToken).ConfigureAwait(false);
        var chosen = ChooseOffered(index, offered, wanted, $"{Host}/{repository}:{reference}");
        return await GetListedImageAsync(repository, chosen, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The index entry for <paramref name="wanted"/>: an exact variant match first, else any compatible one.</summary>
    internal static Descriptor? ChoosePlatform(IndexManifest index, Platform wanted)
    {
        var candidates = index.Manifests.Where(d => d.Platform is { } p && wanted.Matches(p)).ToList();
        return candidates.FirstOrDefault(d => d.Platform!.Variant == wanted.Variant) ?? candidates.FirstOrDefault();
    }
}
