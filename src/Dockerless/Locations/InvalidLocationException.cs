namespace Dockerless.Locations;

/// <summary>
/// An image location that cannot be used as written: text that is no location, a source-only
/// location given as a destination, or a destination that cannot hold what is asked of it.
/// </summary>
public sealed class InvalidLocationException : DockerlessException
{
    /// <summary>Creates the exception; the message names the location and what is wrong with it.</summary>
    public InvalidLocationException(string message) : base(message) { }
}
