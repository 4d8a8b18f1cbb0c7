namespace Dockerless;

/// <summary>The base of every exception Dockerless throws on purpose: catch this to handle any of them.</summary>
public class DockerlessException : Exception
{
    /// <summary>Creates the exception with a message that says what failed and why.</summary>
    public DockerlessException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public DockerlessException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>Content did not match the digest or size it was announced with.</summary>
public sealed class DigestMismatchException : DockerlessException
{
    /// <summary>Creates the exception for <paramref name="what"/> (a file, blob or entry name).</summary>
    public DigestMismatchException(string what, Digest expected, Digest actual, long expectedSize, long actualSize)
        : base(expectedSize >= 0 && expectedSize != actualSize
            ? $"{what}: size mismatch: expected {expectedSize} bytes of {expected}, got {actualSize}"
            : $"{what}: digest mismatch: expected {expected}, got {actual}")
    {
        Expected = expected;
        Actual = actual;
        ExpectedSize = expectedSize;
        ActualSize = actualSize;
    }

    /// <summary>The digest the content was announced with.</summary>
    public Digest Expected { get; }

    /// <summary>The digest of the bytes that were read.</summary>
    public Digest Actual { get; }

    /// <summary>The announced size, or -1 when none was given.</summary>
    public long ExpectedSize { get; }

    /// <summary>The number of bytes that were read.</summary>
    public long ActualSize { get; }
}

/// <summary>A manifest, index, config or archive that does not follow its format.</summary>
public sealed class InvalidImageFormatException : DockerlessException
{
    /// <summary>Creates the exception; the message names the file or document and what is wrong in it.</summary>
    public InvalidImageFormatException(string message, Exception? innerException = null) : base(message, innerException) { }
}
