
namespace Dockerless.Distribution;

public sealed partial class Registry
{
    /// <summary>
    /// Pulls <paramref name="name"/> at <paramref name="tag"/> (a tag or a digest). When it is an
    /// index or manifest list, the manifest for <paramref name="platform"/> (default: linux and
    /// this machine's architecture) is chosen. Eagerly, every layer is downloaded and verified
    /// (into the blob cache, or temporary files the image deletes when disposed); with
    /// <paramref name="lazy"/> only manifest and config are fetched, and layers download when
    /// first read. The manifest and config keep their exact bytes.
    /// </summary>
    public async Task<Image> PullImageAsync(string name, string tag = "latest", bool lazy = false, Platform? platform = null, CancellationToken cancellationToken = default)
    {
        var (repository, inline) = SplitReference(name);
        var reference = inline ?? tag;
        var manifest = await ResolveImageManifestAsync(repository, reference, platform, cancellationToken).ConfigureAwait(false);
        var original = manifest.ToOriginal();
        var configBytes = await ReadBlobAsync(repository, original.Manifest.Config, cancellationToken).ConfigureAwait(false);
        var configuration = ImageConfiguration.Parse(configBytes, $"{Host}/{repository}@{manifest.Digest}");
        if (platform is not null) RequireOwnPlatform(PlatformOfConfig(configBytes), $"{Host}/{repository}:{reference}", [platform]);
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
        image.Name = _endpoint.IsDockerHub ? FamiliarRepository(repository) : $"{Host}/{repository}";
        if (!Digest.TryParse(reference, out _)) image.Tag = reference;
        return image;
    }

    /// <summary>
    /// The config blob of the image manifest <paramref name="reference"/> names (the one for
    /// <paramref name="platform"/> in an index), verified and exactly as stored, whatever it holds:
    /// an artifact's config too, which no image could be made of (as crane config prints it). With
    /// <paramref name="platform"/>, the config must name that platform (an artifact's names none),
    /// else <see cref="PlatformNotFoundException"/>.
    /// </summary>
    internal async Task<byte[]> GetConfigBytesAsync(string repository, string reference, Platform? platform, CancellationToken cancellationToken)
    {
        var manifest = await ResolveImageManifestAsync(repository, reference, platform, cancellationToken).ConfigureAwait(false);
        var bytes = await ReadBlobAsync(repository, manifest.ToOriginal().Manifest.Config, cancellationToken).ConfigureAwait(false);
        if (platform is not null) RequireOwnPlatform(PlatformOfConfig(bytes), $"{Host}/{repository}:{reference}", [platform]);
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
    /// The manifest or index at <paramref name="reference"/> (a tag or digest), with its exact
    /// bytes. Schema 1 manifests are refused as unsupported.
    /// </summary>
    public Task<RawManifest> GetManifestAsync(string name, string reference = "latest", CancellationToken cancellationToken = default)
        => _api.GetManifestAsync(RepositoryOf(name), reference, cancellationToken);

    /// <summary>The digest of the manifest or index at <paramref name="reference"/>, by a HEAD request.</summary>
    public Task<Digest> GetDigestAsync(string name, string reference = "latest", CancellationToken cancellationToken = default)
        => _api.GetDigestAsync(RepositoryOf(name), reference, cancellationToken);

    /// <summary>
    /// The image configuration at <paramref name="reference"/>, for <paramref name="platform"/> when
    /// it is an index. A platform asked of a single-platform image must be the one its config names,
    /// else <see cref="PlatformNotFoundException"/>, as for <see cref="PullImageAsync"/>.
    /// </summary>
    public async Task<ImageConfiguration> GetConfigAsync(string name, string reference = "latest", Platform? platform = null, CancellationToken cancellationToken = default)
    {
        var repository = RepositoryOf(name);
        var bytes = await GetConfigBytesAsync(repository, reference, platform, cancellationToken).ConfigureAwait(false);
        return ImageConfiguration.Parse(bytes, $"{Host}/{repository}:{reference}: config");
    }

    /// <summary>The image manifest at <paramref name="reference"/>; an index (nested ones too) is resolved to the platform's manifest.</summary>
    private async Task<RawManifest> ResolveImageManifestAsync(string repository, string reference, Platform? platform, CancellationToken cancellationToken)
    {
        var top = await _api.GetManifestAsync(repository, reference, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Docker Hub's short name: <c>library/busybox</c> is <c>busybox</c>.</summary>
    private static string FamiliarRepository(string repository)
        => repository.StartsWith("library/", StringComparison.Ordinal) && repository.IndexOf('/', 8) < 0 ? repository[8..] : repository;
}
