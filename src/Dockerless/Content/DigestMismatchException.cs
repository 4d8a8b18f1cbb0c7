namespace Dockerless.Content;

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
