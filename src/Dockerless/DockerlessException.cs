namespace Dockerless;

/// <summary>The base of every exception Dockerless throws on purpose: catch this to handle any of them.</summary>
public class DockerlessException : Exception
{
    /// <summary>Creates the exception with a message that says what failed and why.</summary>
    public DockerlessException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public DockerlessException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>A manifest, index, config or archive that does not follow its format.</summary>
public sealed class InvalidImageFormatException : DockerlessException
{
    /// <summary>Creates the exception; the message names the file or document and what is wrong in it.</summary>
    public InvalidImageFormatException(string message, Exception? innerException = null) : base(message, innerException) { }
}
