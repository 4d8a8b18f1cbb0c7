namespace Dockerless.References;

/// <summary>
/// An image reference that does not follow the distribution grammar
/// (<c>[host[:port]/]path[:tag][@digest]</c>). The message names the reference and the part that is wrong.
/// </summary>
public sealed class InvalidReferenceException : DockerlessException
{
    /// <summary>Creates the exception for <paramref name="reference"/>; <paramref name="reason"/> names the bad part.</summary>
    public InvalidReferenceException(string reference, string reason)
        : base($"invalid image reference \"{reference}\": {reason}")
    {
        Reference = reference;
        Reason = reason;
    }

    /// <summary>The text that failed to parse.</summary>
    public string Reference { get; }

    /// <summary>What is wrong, naming the host, path component, tag or digest.</summary>
    public string Reason { get; }
}
