namespace Dockerless.Archives;

/// <summary>An archive or layout names a blob or file that is not in it.</summary>
public sealed class MissingBlobException : DockerlessException
{
    /// <summary>Creates the exception for <paramref name="entry"/>, missing from <paramref name="archive"/>.</summary>
    public MissingBlobException(string archive, string entry, string referencedBy)
        : base($"{archive}: {referencedBy} names \"{entry}\", which is not in the archive")
    {
        Archive = archive;
        Entry = entry;
    }

    /// <summary>The archive or layout directory.</summary>
    public string Archive { get; }

    /// <summary>The missing entry or blob path.</summary>
    public string Entry { get; }
}

/// <summary>An archive entry or a path named inside an archive leaves the archive's root (<c>..</c>, an absolute path, an escaping link).</summary>
public sealed class UnsafeArchivePathException : DockerlessException
{
    /// <summary>Creates the exception for <paramref name="entry"/> in <paramref name="archive"/>.</summary>
    public UnsafeArchivePathException(string archive, string entry, string reason)
        : base($"{archive}: entry \"{entry}\" {reason}")
    {
        Archive = archive;
        Entry = entry;
    }

    /// <summary>The archive.</summary>
    public string Archive { get; }

    /// <summary>The offending entry or path.</summary>
    public string Entry { get; }
}

/// <summary>A tar archive that cannot be read to its end: truncated, or not a tar at all.</summary>
public sealed class CorruptArchiveException : DockerlessException
{
    /// <summary>Creates the exception; the message names the archive and the entry where reading stopped.</summary>
    public CorruptArchiveException(string message, Exception? innerException = null) : base(message, innerException) { }
}

/// <summary>
/// A non-distributable (foreign) layer is known only by its descriptor: its blob is not here,
/// and Dockerless never fetches it from the URLs the descriptor lists.
/// </summary>
public sealed class ForeignLayerException : DockerlessException
{
    /// <summary>Creates the exception for the layer <paramref name="descriptor"/> names, missing from <paramref name="source"/>.</summary>
    public ForeignLayerException(string source, Descriptor descriptor) : base(Describe(source, descriptor))
    {
        Digest = descriptor.Digest;
        Urls = descriptor.Urls ?? [];
    }

    private static string Describe(string source, Descriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var urls = descriptor.Urls is { Count: > 0 } list ? string.Join(", ", list) : "no URL";
        return $"{source}: non-distributable layer {descriptor.Digest} ({descriptor.MediaType}) is not here, only its descriptor; "
            + $"it is published at {urls} and Dockerless does not fetch foreign layers";
    }

    /// <summary>The layer's digest.</summary>
    public Digest Digest { get; }

    /// <summary>Where the layer's publisher says it can be fetched.</summary>
    public IReadOnlyList<string> Urls { get; }
}
