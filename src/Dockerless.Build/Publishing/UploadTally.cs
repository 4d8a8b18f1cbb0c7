using System.Collections.Concurrent;

namespace Dockerless.Build.Publishing;

/// <summary>Counts, from a push's progress reports, the blobs that were uploaded and their bytes, and those the registry already had.</summary>
public sealed class UploadTally : IProgress<TransferProgress>
{
    private readonly ConcurrentDictionary<Digest, (long Bytes, bool Reused)> _blobs = new();

    /// <summary>Blobs whose bytes moved.</summary>
    public int Uploaded => _blobs.Values.Count(b => !b.Reused);

    /// <summary>The bytes that moved.</summary>
    public long UploadedBytes => _blobs.Values.Where(b => !b.Reused).Sum(b => b.Bytes);

    /// <summary>Blobs the registry had already (found or mounted).</summary>
    public int Reused => _blobs.Values.Count(b => b.Reused);

    /// <summary>Forgets what was counted so far (the base's manifest and config, read before the push).</summary>
    public void Clear() => _blobs.Clear();

    /// <inheritdoc/>
    public void Report(TransferProgress value)
        => _blobs.AddOrUpdate(value.Digest, (value.BytesTransferred, value.Reused), (_, old) => (Math.Max(old.Bytes, value.BytesTransferred), old.Reused && value.Reused));
}
