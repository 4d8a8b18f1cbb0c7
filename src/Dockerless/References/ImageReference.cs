using System.Diagnostics.CodeAnalysis;

namespace Dockerless.References;

/// <summary>
/// An image reference as docker writes it (<c>alpine</c>, <c>user/app:1.0</c>,
/// <c>127.0.0.1:5000/app@sha256:...</c>, <c>[::1]:5000/team/app:v1@sha256:...</c>), parsed with the
/// distribution grammar and normalised as docker does: no host means Docker Hub (<c>docker.io</c>),
/// a single-component Docker Hub repository gets the <c>library/</c> prefix, and a reference with
/// neither tag nor digest gets the tag <c>latest</c>.
/// </summary>
public sealed record ImageReference
{
    /// <summary>The registry name docker uses for Docker Hub.</summary>
    public const string DockerHub = "docker.io";

    /// <summary>The host that serves Docker Hub's registry API.</summary>
    public const string DockerHubApiHost = "registry-1.docker.io";

    /// <summary>The tag that applies when a reference names neither tag nor digest.</summary>
    public const string DefaultTag = "latest";

    private const string LegacyDockerHub = "index.docker.io";
    private const string OfficialPrefix = "library/";

    private ImageReference(string registry, string repository, string? tag, Digest? digest)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>The registry, normalised: <c>docker.io</c>, <c>127.0.0.1:5000</c>, <c>[::1]:5000</c>, <c>localhost</c>.</summary>
    public string Registry { get; }

    /// <summary>The repository path within the registry, such as <c>library/alpine</c> or <c>team/app</c>.</summary>
    public string Repository { get; }

    /// <summary>
    /// The tag, or null when the reference names only a digest. Parsing a reference with neither a
    /// tag nor a digest sets it to <see cref="DefaultTag"/>.
    /// </summary>
    public string? Tag { get; }

    /// <summary>The digest that pins the manifest, if the reference names one.</summary>
    public Digest? Digest { get; }

    /// <summary>The host that serves the registry API: <c>registry-1.docker.io</c> for Docker Hub, else <see cref="Registry"/>.</summary>
    public string ApiHost => Registry == DockerHub ? DockerHubApiHost : Registry;

    /// <summary>Registry and repository: <c>docker.io/library/alpine</c>.</summary>
    public string Name => $"{Registry}/{Repository}";

    /// <summary>The short name docker prints: <c>alpine</c>, <c>user/app</c>, <c>127.0.0.1:5000/app</c>.</summary>
    public string FamiliarName
    {
        get
        {
            if (Registry != DockerHub) return Name;
            var isOfficial = Repository.StartsWith(OfficialPrefix, StringComparison.Ordinal)
                             && !Repository.AsSpan(OfficialPrefix.Length).Contains('/');
            return isOfficial ? Repository[OfficialPrefix.Length..] : Repository;
        }
    }

    /// <summary>What to ask the manifest endpoint for: the digest when there is one, else the tag.</summary>
    public string Identifier => Digest?.ToString() ?? Tag ?? DefaultTag;

    /// <summary>
    /// Parses <paramref name="reference"/>; throws <see cref="InvalidReferenceException"/> naming the
    /// bad host, path component, tag or digest.
    /// </summary>
    public static ImageReference Parse(string reference) => Parse(reference, DockerHub);

    /// <summary>
    /// Parses <paramref name="reference"/>, placing a reference without a registry host on
    /// <paramref name="defaultRegistry"/> (a host with optional port, such as <c>127.0.0.1:5000</c>)
    /// instead of Docker Hub: <c>busybox</c> becomes <c>127.0.0.1:5000/busybox</c>, with no <c>library/</c>
    /// prefix, which only Docker Hub adds. A reference that names a host keeps it, so a caller can
    /// compare <see cref="Registry"/> with its own.
    /// </summary>
    public static ImageReference Parse(string reference, string defaultRegistry)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(defaultRegistry);
        var error = Analyze(reference, defaultRegistry, out var result);
        return error is null ? result! : throw new InvalidReferenceException(reference, error);
    }

    /// <summary>Parses <paramref name="reference"/> without throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? reference, [NotNullWhen(true)] out ImageReference? result)
    {
        result = null;
        return reference is not null && Analyze(reference, DockerHub, out result) is null;
    }

    /// <summary>
    /// Builds a reference from its parts: <paramref name="name"/> may carry a registry host
    /// (<c>127.0.0.1:5000/app</c>) or not (<c>alpine</c>, placed on <paramref name="defaultRegistry"/>);
    /// <paramref name="tagOrDigest"/> is a tag or a <c>sha256:...</c> digest, or null for <see cref="DefaultTag"/>.
    /// </summary>
    public static ImageReference Create(string name, string? tagOrDigest = null, string defaultRegistry = DockerHub)
    {
        ArgumentNullException.ThrowIfNull(name);
        var reference = tagOrDigest is null ? name
            : tagOrDigest.Contains(':', StringComparison.Ordinal) ? $"{name}@{tagOrDigest}"
            : $"{name}:{tagOrDigest}";
        return Parse(reference, defaultRegistry);
    }

    /// <summary>This repository with <paramref name="tag"/>; a digest, if any, is kept (as distribution's <c>WithTag</c> does).</summary>
    public ImageReference WithTag(string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        var error = ReferenceGrammar.CheckTag(tag);
        return error is null ? new ImageReference(Registry, Repository, tag, Digest) : throw new InvalidReferenceException($"{Name}:{tag}", error);
    }

    /// <summary>This repository pinned to <paramref name="digest"/>; the tag, if any, is kept (<c>name:tag@digest</c>).</summary>
    public ImageReference WithDigest(Digest digest)
    {
        if (digest.IsEmpty) throw new ArgumentException("the digest is empty", nameof(digest));
        return new ImageReference(Registry, Repository, Tag, digest);
    }

    /// <summary>This repository pinned to <paramref name="digest"/> alone, without a tag (<c>name@digest</c>).</summary>
    public ImageReference WithDigestOnly(Digest digest) => new ImageReference(Registry, Repository, null, null).WithDigest(digest);

    /// <summary>The canonical form: <c>docker.io/library/alpine:latest</c>, <c>host:5000/app@sha256:...</c>.</summary>
    public override string ToString()
        => Name + (Tag is null ? "" : ":" + Tag) + (Digest is { } d ? "@" + d : "");

    /// <summary>
    /// The registry name docker and the credential stores use for <paramref name="host"/>:
    /// <c>index.docker.io</c> and <c>registry-1.docker.io</c> become <c>docker.io</c>; any other host is kept.
    /// </summary>
    public static string NormalizeRegistry(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host.Equals(DockerHub, StringComparison.OrdinalIgnoreCase)
               || host.Equals(LegacyDockerHub, StringComparison.OrdinalIgnoreCase)
               || host.Equals(DockerHubApiHost, StringComparison.OrdinalIgnoreCase)
            ? DockerHub
            : host;
    }

    /// <summary>Parses, returning null on success or the reason of the failure.</summary>
    private static string? Analyze(string reference, string defaultRegistry, out ImageReference? result)
    {
        result = null;
        if (reference.Length == 0) return "it is empty";
        if (defaultRegistry.Length == 0) return "the default registry is empty";

        var rest = reference;
        Digest? digest = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            var digestError = ReferenceGrammar.CheckDigest(rest[(at + 1)..], out var parsed);
            if (digestError is not null) return digestError;
            digest = parsed;
            rest = rest[..at];
        }

        string? tag = null;
        var colon = rest.LastIndexOf(':');
        if (colon > rest.LastIndexOf('/'))
        {
            tag = rest[(colon + 1)..];
            var tagError = ReferenceGrammar.CheckTag(tag);
            if (tagError is not null) return tagError;
            rest = rest[..colon];
        }
        if (rest.Length == 0) return "the repository name is empty";
        if (ReferenceGrammar.IsImageId(rest)) return $"\"{rest}\" is a 64-digit hexadecimal image ID, not a repository name";

        var (registry, repository) = SplitRegistry(rest, defaultRegistry);
        var domainError = ReferenceGrammar.CheckDomain(registry);
        if (domainError is not null) return domainError;
        foreach (var component in repository.Split('/'))
        {
            var componentError = ReferenceGrammar.CheckPathComponent(component);
            if (componentError is not null) return componentError;
        }

        registry = NormalizeRegistry(registry);
        if (registry == DockerHub && !repository.Contains('/', StringComparison.Ordinal)) repository = OfficialPrefix + repository;
        if (registry.Length + 1 + repository.Length > ReferenceGrammar.MaxNameLength)
        {
            return $"the name \"{registry}/{repository}\" is longer than {ReferenceGrammar.MaxNameLength} characters";
        }

        result = new ImageReference(registry, repository, tag ?? (digest is null ? DefaultTag : null), digest);
        return null;
    }

    /// <summary>
    /// The first path component is a registry host when it looks like one (has a '.' or ':', is
    /// <c>localhost</c>, or has uppercase letters, which repositories may not), as docker decides;
    /// a leading '[' also marks a host, so that a broken IPv6 address is reported as a host.
    /// </summary>
    private static (string Registry, string Repository) SplitRegistry(string name, string defaultRegistry)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0) return (defaultRegistry, name);
        var first = name[..slash];
        var isHost = first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal)
                     || first == "localhost" || first.StartsWith('[') || first.Any(char.IsAsciiLetterUpper);
        return isHost ? (first, name[(slash + 1)..]) : (defaultRegistry, name);
    }
}
