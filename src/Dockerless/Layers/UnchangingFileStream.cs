namespace Dockerless.Layers;

/// <summary>
/// A host file's bytes for a tar entry whose header already gave its size: exactly that many,
/// and an error if the file turns out longer or shorter (a log still being written, a file
/// truncated meanwhile, a procfs file that says it is empty). Without it the tar would hold the
/// header's size and another number of bytes: every entry after it would be misread.
/// </summary>
internal sealed class UnchangingFileStream(FileStream file, string path) : ReadOnlyStream
{
    private readonly long _length = file.Length;
    private long _read;

    /// <summary>Seekable as far as the tar writer asks: it takes the entry's size from <see cref="Length"/>.</summary>
    public override bool CanSeek => true;

    public override long Length => _length;

    public override long Position
    {
        get => _read;
        set
        {
            if (value != _read) throw new NotSupportedException();
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_read == _length)
        {
            // One byte more than the size given means the file grew.
            if (await file.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false) != 0) throw Changed("grew");
            return 0;
        }
        var n = await file.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _length - _read)], cancellationToken).ConfigureAwait(false);
        if (n == 0 && buffer.Length > 0) throw Changed("shrank");
        _read += n;
        return n;
    }

    private IOException Changed(string how) => new($"{path}: the file {how} while it was being read into the layer ({_length} bytes when it was opened)");

    protected override void Dispose(bool disposing)
    {
        if (disposing) file.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await file.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
