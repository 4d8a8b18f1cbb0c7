namespace Dockerless.Distribution.Blobs;

/// <summary>
/// A content-addressed directory of blobs (<c>DIR/sha256/HEX</c>) shared across runs and
/// processes. Entries appear only complete and verified: a download is teed into a temporary
/// file in the same directory and renamed into place after its digest checked out. Reads are
/// verified again, so a damaged entry fails instead of spreading, and is removed: the read that
/// found it fails, and the next one (a reread after a mismatch, or another run) downloads it again.
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
            return new DamageRemovingStream(new HashingStream(file, digest, size, $"{what} (in the blob cache {directory})"), path);
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

    /// <summary>Deletes the entry it reads when the entry fails its digest or size, then lets the failure through.</summary>
    private sealed class DamageRemovingStream(Stream verified, string path) : ReadOnlyStream
    {
        public override long Length => verified.Length;
        public override long Position => verified.Position;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return await verified.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (DigestMismatchException)
            {
                // Another process may have just put a good copy here; deleting that costs one download.
                File.Delete(path);
                throw;
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) verified.Dispose();
            base.Dispose(disposing);
        }
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
