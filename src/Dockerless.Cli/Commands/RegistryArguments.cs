namespace Dockerless.Cli.Commands;

/// <summary>The registry verbs' arguments (REF, REPO, REPO@DIGEST, REGISTRY), parsed once, with usage errors that name what is wrong.</summary>
internal static class RegistryArguments
{
    /// <summary>The transport prefix skopeo writes before a registry reference, optional everywhere a reference goes.</summary>
    public const string Transport = "docker://";

    /// <summary><paramref name="text"/> without a leading <c>docker://</c>, as ls, tag, delete, blob and catalog take it.</summary>
    public static string WithoutTransport(string text)
        => text.StartsWith(Transport, StringComparison.Ordinal) ? text[Transport.Length..] : text;

    /// <summary>A verb's REF argument, <c>docker://</c> optional; a bad one is a usage error naming the bad part.</summary>
    public static ImageReference Reference(string text)
    {
        try
        {
            return ImageReference.Parse(WithoutTransport(text));
        }
        catch (InvalidReferenceException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>A repository argument (ls): a reference without a tag or digest.</summary>
    public static ImageReference Repository(string verb, string text)
    {
        var reference = Reference(text);
        var name = WithoutTransport(text);
        if (name[(name.LastIndexOf('/') + 1)..].Contains(':', StringComparison.Ordinal) || reference.Digest is not null)
        {
            throw new UsageException($"{verb}: {text}: name a repository, without a tag or digest");
        }
        return reference;
    }

    /// <summary><paramref name="registry"/> when it is not empty or blank (logout takes any name a config may hold).</summary>
    public static string RequireRegistry(string verb, string registry)
        => string.IsNullOrWhiteSpace(registry) ? throw new UsageException($"{verb}: the registry is empty: expected HOST[:PORT]") : registry;

    /// <summary>
    /// The client for <paramref name="registry"/> when it is a registry address (<c>HOST[:PORT]</c>
    /// or <c>http(s)://HOST[:PORT]</c>); anything else, such as a repository, is a usage error.
    /// </summary>
    public static Registry Registry(CliContext context, string verb, string registry)
    {
        RequireRegistry(verb, registry);
        try
        {
            return context.Registries.Get(registry);
        }
        catch (ArgumentException e)
        {
            var repository = verb == "catalog" && registry.Contains('/', StringComparison.Ordinal) && !registry.Contains("://", StringComparison.Ordinal)
                ? " (to list a repository's tags: dockerless ls REPO)"
                : "";
            throw new UsageException($"{verb}: {CliApp.MessageOf(e)}{repository}");
        }
    }
}
