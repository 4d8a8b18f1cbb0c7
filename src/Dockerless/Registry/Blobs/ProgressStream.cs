namespace Dockerless.Distribution;

/// <summary>A read-through stream that reports how many bytes of a blob have passed, about every 1 MB and at the end.</summary>
internal sealed class ProgressStream(Stream inner, Digest digest, long total, IProgress<TransferProgress> progress, long alreadyDone = 0) : Stream
{
    private const long ReportEvery = 1024 * 1024;
    private long _done = alreadyDone;
    private long _reported = alreadyDone;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => inner.Length;
    public override long Position { get => _done; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Account(inner.Read(buffer, offset, count));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        => Account(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    private int Account(int n)
    {
        _done += n;
        if (_done - _reported >= ReportEvery || (n == 0 && _done != _reported) || (n > 0 && _done == total))
        {
            _reported = _done;
            progress.Report(new TransferProgress(digest, _done, total));
        }
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
