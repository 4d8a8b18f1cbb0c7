using System.Net;

namespace Dockerless.Cli.Locations;

/// <summary>Every registry call of the CLI, in one place, on the clients of <see cref="CliContext.RegistryFor"/>.</summary>
internal static class RegistryAccess
{
    /// <summary>The transport prefix skopeo writes before a registry reference, optional everywhere a reference goes.</summary>
    public const string Transport = "docker://";

    /// <summary><paramref name="text"/> without a leading <c>docker://</c>, as ls, tag, delete, blob and catalog take it.</summary>
    public static string WithoutTransport(string text)
        => text.StartsWith(Transport, StringComparison.Ordinal) ? text[Transport.Length..] : text;

    /// <summary>Parses a verb's REF argument, <c>docker://</c> optional.</summary>
    private static ImageReference ParseArgument(string text) => Parse(WithoutTransport(text));

    /// <summary>Parses a reference; a bad one is a usage error naming the bad part.</summary>
    public static ImageReference Parse(string text)
    {
        try
        {
            return ImageReference.Parse(text);
        }
        catch (InvalidReferenceException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>The image, lazily: manifest and config now, layers when something reads them.</summary>
    public static async Task<Image> PullAsync(CliContext context, RegistryLocation location, Platform? platform, CancellationToken cancellationToken)
    {
        var reference = Parse(location.Reference);
        var registry = context.RegistryFor(reference.Registry);
        return await registry.PullImageAsync(reference.Repository, reference.Identifier, lazy: true, platform, cancellationToken);
    }

    /// <summary>
    /// Every image the location names, lazily: one per platform of an index, nested ones included (those in
    /// <paramref name="platforms"/> when given; entries without a real platform, such as
    /// attestations, are left out), or the one image of a plain manifest. Images of every entry
    /// keep the index's bytes when written together to an OCI layout. Each of
    /// <paramref name="platforms"/> must be there (a plain manifest's own platform): one that is
    /// not is a <see cref="PlatformNotFoundException"/>, with every image pulled released.
    /// </summary>
    public static async Task<IReadOnlyList<Image>> PullAllAsync(CliContext context, RegistryLocation location, IReadOnlyList<Platform> platforms, CancellationToken cancellationToken)
    {
        var reference = Parse(location.Reference);
        var registry = context.RegistryFor(reference.Registry);
        var top = await registry.GetManifestAsync(reference.Repository, reference.Identifier, cancellationToken);
        if (top.Index is not { } index)
        {
            var single = await registry.PullImageAsync(reference.Repository, reference.Identifier, lazy: true, cancellationToken: cancellationToken);
            await ImageSelection.RequireEveryPlatformAsync([single], [single.Platform.ToString()], [single], location.Text, platforms);
            return [single];
        }
        // Kept with each image: an OCI layout written from all of them holds the index byte for byte.
        var original = Manifests.OriginalIndex.Of(index, top.RawBytes, top.MediaType, top.Digest);
        var images = new List<Image>();
        var entries = await registry.ImagesOfIndexAsync(reference.Repository, top, cancellationToken);
        foreach (var entry in entries)
        {
            if (entry.Platform is not { } platform || platform.Os == "unknown") continue;
            if (platforms.Count > 0 && !platforms.Any(p => p.Matches(platform))) continue;
            var image = await registry.PullImageAsync(reference.Repository, entry.Digest.ToString(), lazy: true, cancellationToken: cancellationToken);
            image.Tags.Clear();
            if (reference.Tag is { } tag) image.Tag = tag;
            image.SourceIndex = original;
            images.Add(image);
        }
        var offered = entries.Select(e => e.Platform).OfType<Platform>().Where(p => p.Os != "unknown").Select(p => p.ToString());
        await ImageSelection.RequireEveryPlatformAsync(images, offered, images, location.Text, platforms);
        return images.Count > 0 ? images : throw new DockerlessException($"{location}: the index has no image of a known platform");
    }

    /// <summary>Pushes under exactly the location's tag (not every tag the image had where it came from).</summary>
    public static async Task<Digest> PushAsync(CliContext context, RegistryLocation location, Image image, CancellationToken cancellationToken)
    {
        var reference = DestinationOf(location);
        image.Name = reference.Repository;
        image.Tags.Clear();
        image.Tag = reference.Tag ?? ImageReference.DefaultTag;
        return await context.RegistryFor(reference.Registry).PushImageAsync(image, cancellationToken: cancellationToken);
    }

    /// <summary>Pushes one image per platform as one index under the location's tag; blobs they share move once.</summary>
    public static async Task<Digest> PushIndexAsync(CliContext context, RegistryLocation location, IReadOnlyList<Image> images, CancellationToken cancellationToken)
    {
        var reference = DestinationOf(location);
        return await context.RegistryFor(reference.Registry).PushIndexAsync(images, reference.Repository, reference.Tag ?? ImageReference.DefaultTag, cancellationToken: cancellationToken);
    }

    private static ImageReference DestinationOf(RegistryLocation location)
    {
        var reference = Parse(location.Reference);
        return reference.Digest is null ? reference : throw new UsageException($"{location}: a destination takes a tag, not a digest");
    }

    /// <summary>The config blob of the image the location names (for <paramref name="platform"/> in an index), as stored.</summary>
    public static Task<byte[]> GetConfigAsync(CliContext context, RegistryLocation location, Platform? platform, CancellationToken cancellationToken)
    {
        var reference = Parse(location.Reference);
        return context.RegistryFor(reference.Registry).GetConfigBytesAsync(reference.Repository, reference.Identifier, platform, cancellationToken);
    }

    /// <summary>The manifest or index exactly as the registry serves it.</summary>
    public static async Task<(byte[] Bytes, Digest Digest)> GetManifestAsync(CliContext context, RegistryLocation location, CancellationToken cancellationToken)
    {
        var reference = Parse(location.Reference);
        var manifest = await context.RegistryFor(reference.Registry).GetManifestAsync(reference.Repository, reference.Identifier, cancellationToken);
        return (manifest.Bytes.ToArray(), manifest.Digest);
    }

    /// <summary>Registry to registry: the whole index (or the chosen platforms), digests kept, blobs mounted or streamed.</summary>
    public static async Task<Digest> CopyAsync(CliContext context, RegistryLocation source, RegistryLocation destination, IReadOnlyList<Platform> platforms, CancellationToken cancellationToken)
    {
        var from = Parse(source.Reference);
        var to = Parse(destination.Reference);
        if (to.Digest is not null) throw new UsageException($"{destination}: a destination takes a tag, not a digest");
        var sourceRegistry = context.RegistryFor(from.Registry);
        var targetRegistry = context.RegistryFor(to.Registry);
        return await sourceRegistry.CopyAsync(
            $"{from.Repository}{(from.Digest is { } d ? "@" + d : ":" + from.Identifier)}",
            targetRegistry,
            $"{to.Repository}:{to.Tag ?? from.Tag ?? ImageReference.DefaultTag}",
            platforms.Count == 0 ? null : platforms,
            cancellationToken);
    }

    public static async Task<Stream> OpenBlobAsync(CliContext context, string text, CancellationToken cancellationToken)
    {
        var reference = ParseArgument(text);
        if (reference.Digest is not { } digest) throw new UsageException($"blob: {text}: expected REPO@DIGEST");
        return await context.RegistryFor(reference.Registry).OpenBlobAsync(reference.Repository, digest, cancellationToken);
    }

    /// <summary>Every tag of the repository the location names, as skopeo inspect lists them in RepoTags.</summary>
    public static Task<IReadOnlyList<string>> TagsOfAsync(CliContext context, RegistryLocation location, CancellationToken cancellationToken)
    {
        var reference = Parse(location.Reference);
        return context.RegistryFor(reference.Registry).ListTagsAsync(reference.Repository, cancellationToken: cancellationToken);
    }

    public static async Task<IReadOnlyList<string>> ListTagsAsync(CliContext context, string repository, CancellationToken cancellationToken)
    {
        var reference = ParseArgument(repository);
        var name = WithoutTransport(repository);
        var lastComponent = name[(name.LastIndexOf('/') + 1)..];
        if (lastComponent.Contains(':', StringComparison.Ordinal) || reference.Digest is not null)
        {
            throw new UsageException($"ls: {repository}: name a repository, without a tag or digest");
        }
        return await context.RegistryFor(reference.Registry).ListTagsAsync(reference.Repository, cancellationToken: cancellationToken);
    }

    public static Task<IReadOnlyList<string>> ListRepositoriesAsync(CliContext context, string registry, CancellationToken cancellationToken)
        => context.RegistryFor(CheckRegistry("catalog", WithoutTransport(registry))).ListRepositoriesAsync(cancellationToken: cancellationToken);

    /// <summary><paramref name="registry"/> when it is not empty or blank (logout takes any name a config may hold).</summary>
    public static string RequireRegistry(string verb, string registry)
        => string.IsNullOrWhiteSpace(registry) ? throw new UsageException($"{verb}: the registry is empty: expected HOST[:PORT]") : registry;

    /// <summary>
    /// <paramref name="registry"/> when it is a registry address (<c>HOST[:PORT]</c> or
    /// <c>http(s)://HOST[:PORT]</c>); anything else, such as a repository, is a usage error.
    /// </summary>
    public static string CheckRegistry(string verb, string registry)
    {
        RequireRegistry(verb, registry);
        try
        {
            var endpoint = Distribution.Http.RegistryEndpoint.Parse(registry);
            // The endpoint checks the host's form only: a port must also be a number Uri takes (0 to 65535).
            return Uri.TryCreate($"http://{endpoint.Host}/", UriKind.Absolute, out _)
                ? registry
                : throw new UsageException($"{verb}: invalid registry address \"{registry}\": the port is not a number from 0 to 65535");
        }
        catch (ArgumentException e)
        {
            var repository = verb == "catalog" && registry.Contains('/', StringComparison.Ordinal) && !registry.Contains("://", StringComparison.Ordinal)
                ? " (to list a repository's tags: dockerless ls REPO)"
                : "";
            throw new UsageException($"{verb}: {CliApp.MessageOf(e)}{repository}");
        }
    }

    public static async Task TagAsync(CliContext context, string text, string tag, CancellationToken cancellationToken)
    {
        var reference = ParseArgument(text);
        await context.RegistryFor(reference.Registry).TagAsync(reference.Repository, reference.Identifier, tag, cancellationToken);
    }

    /// <summary>Deletes the manifest a tag or digest names (a tag is resolved first, so every tag on it goes).</summary>
    public static async Task<Digest> DeleteAsync(CliContext context, string text, CancellationToken cancellationToken)
    {
        var reference = ParseArgument(text);
        return await context.RegistryFor(reference.Registry).DeleteAsync(reference.Repository, reference.Identifier, cancellationToken);
    }

    /// <summary>
    /// Checks the credentials against the registry as docker login does (<c>GET /v2/</c>: not the
    /// catalog, which Docker Hub and other token registries refuse to accounts that may log in),
    /// then stores them in $DOCKER_CONFIG/config.json or its credsStore.
    /// </summary>
    public static async Task LoginAsync(CliContext context, string registry, string user, string password, CancellationToken cancellationToken)
    {
        await using (var client = context.CreateRegistry(registry, RegistryCredential.FromPassword(user, password)))
        {
            await client.CheckCredentialsAsync(cancellationToken);
        }
        await new DockerCredentialStore().SaveAsync(registry, user, password, cancellationToken);
    }
}
