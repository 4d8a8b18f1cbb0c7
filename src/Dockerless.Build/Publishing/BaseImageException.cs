namespace Dockerless.Build.Publishing;

/// <summary>The base image could not be opened; the message names it and says why.</summary>
public sealed class BaseImageException : DockerlessException
{
    /// <summary>Creates the exception for <paramref name="baseImage"/> from the failure that stopped it.</summary>
    public BaseImageException(string baseImage, Exception innerException)
        : base($"base image '{baseImage}': {innerException?.Message}", innerException) { }
}
