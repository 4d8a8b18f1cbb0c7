namespace Dockerless.Distribution;

/// <summary>
/// A content-addressed directory of blobs (<c>DIR/sha256/HEX</c>) shared across runs and
/// processes. Entries appear only complete and verified: a download is teed into a temporary
/// file in the same directory and renamed into place after its digest checked out. Reads are
/// verified again, so a damaged entry fails instead of spreading.
/// </summary>
internal sealed class BlobCache(string directory)
{
    public string PathOf(Digest digest) => Path.Combine(directory, digest.Algorithm, digest.Encoded);

    /// <summary>The cached blob as a verifying stream, or null when it is not cached.</summary>
    public Stream? TryOpen(Digest digest, long size, string what)
    {
        var path = PathOf(digest);
        try
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true);
            return new HashingStream(file, digest, size, what);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Wraps a verifying stream so that what is read through it lands in the cache once it ended cleanly.</summary>
    public Stream Tee(Stream verified, Digest digest)
    {
        var path = PathOf(digest);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return new CacheTeeStream(verified, path);
    }

    private sealed class CacheTeeStream(Stream inner, string finalPath) : ReadOnlyStream
    {
        private readonly string _temporary = $"{finalPath}.{Guid.NewGuid():N}.tmp";
        private FileStream? _file;
        private bool _committed;

        public override long Length => inner.Length;
        public override long Position => inner.Position;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            _file ??= new FileStream(_temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            if (n > 0)
            {
                await _file.WriteAsync(buffer[..n], cancellationToken).ConfigureAwait(false);
            }
            else if (!_committed)
            {
                await _file.DisposeAsync().ConfigureAwait(false);
                File.Move(_temporary, finalPath, overwrite: true);
                _committed = true;
            }
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _file?.Dispose();
                if (!_committed) File.Delete(_temporary);
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
