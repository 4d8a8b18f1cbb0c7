namespace Dockerless.Locations;

/// <summary>What a garbage collection of an OCI layout removed (or, in a dry run, would remove).</summary>
public sealed record GarbageCollectionResult
{
    /// <summary>The blobs no entry of <c>index.json</c> reaches, by path in the layout (<c>blobs/sha256/HEX</c>).</summary>
    public required IReadOnlyList<RemovedFile> Blobs { get; init; }

    /// <summary>The temporary folders of writers that died, by name in the layout's top folder.</summary>
    public required IReadOnlyList<RemovedFile> Temporaries { get; init; }

    /// <summary>How many digests the entries of <c>index.json</c> reach.</summary>
    public required int KeptBlobs { get; init; }

    /// <summary>True when nothing was removed, only listed.</summary>
    public required bool DryRun { get; init; }

    /// <summary>The bytes freed (or, in a dry run, that would be).</summary>
    public long FreedBytes => Blobs.Sum(b => b.Size) + Temporaries.Sum(t => t.Size);
}

/// <summary>A file or folder a garbage collection removed: its path in the layout and its size in bytes.</summary>
public sealed record RemovedFile(string Path, long Size);
