namespace Dockerless.Content;

/// <summary>An image index has no manifest for the requested platform.</summary>
public sealed class PlatformNotFoundException : DockerlessException
{
    /// <summary>Creates the exception naming the source, the wanted platform and those available.</summary>
    public PlatformNotFoundException(string source, Platform wanted, IEnumerable<string> available)
        : base($"{source}: no image for platform {wanted}; it has {string.Join(", ", available)}")
    {
        Wanted = wanted;
    }

    /// <summary>The platform that was asked for.</summary>
    public Platform Wanted { get; }

    /// <summary>An index entry as the error lists it: its platform (or "no platform"), digest and media type.</summary>
    internal static string Describe(Descriptor entry) => $"{entry.Platform?.ToString() ?? "no platform"} ({entry.Digest}, {entry.MediaType})";
}
