namespace Dockerless.Archives;

/// <summary>A place in a file that holds one blob: a whole file in a layout directory, or an entry's data inside a tar.</summary>
/// <param name="File">The file holding the bytes.</param>
/// <param name="Offset">Where the bytes start.</param>
/// <param name="Length">How many bytes there are.</param>
/// <param name="What">How error messages name it: the archive and the entry.</param>
internal sealed record FileRegion(string File, long Offset, long Length, string What)
{
    /// <summary>Opens a read-only stream over just this region.</summary>
    public Stream Open()
    {
        var file = new FileStream(File, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.Read,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            BufferSize = 0,
        });
        try
        {
            file.Seek(Offset, SeekOrigin.Begin);
            return new RegionStream(file, Length);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }
}

/// <summary>Reads at most a given number of bytes from an inner stream, then reports the end.</summary>
internal sealed class RegionStream(Stream inner, long length) : ReadOnlyStream
{
    private readonly long _length = length;
    private long _remaining = length;

    public override long Length => _length;
    public override long Position => _length - _remaining;

    public override int Read(Span<byte> buffer)
    {
        if (_remaining <= 0) return 0;
        var n = inner.Read(buffer[..(int)Math.Min(buffer.Length, _remaining)]);
        _remaining -= n;
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_remaining <= 0) return 0;
        var n = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _remaining)], cancellationToken).ConfigureAwait(false);
        _remaining -= n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
