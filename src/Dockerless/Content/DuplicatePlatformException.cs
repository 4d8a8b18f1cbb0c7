namespace Dockerless.Content;

/// <summary>An index would list two images of one platform, which no client could choose between.</summary>
public sealed class DuplicatePlatformException : DockerlessException
{
    /// <summary>Creates the exception naming the platform, the image the index holds and the one refused.</summary>
    public DuplicatePlatformException(Platform platform, string held, string refused)
        : base($"two images of platform {platform}: {held} and {refused}; an index lists one image per platform")
    {
        Platform = platform;
    }

    /// <summary>The platform both images are for.</summary>
    public Platform Platform { get; }
}
