namespace Dockerless.Distribution.Blobs;

/// <summary>A read-through stream that reports how many bytes of a blob have passed, about every 1 MB and at the end.</summary>
internal sealed class ProgressStream(Stream inner, Digest digest, long total, IProgress<TransferProgress> progress, long alreadyDone = 0) : ReadOnlyStream
{
    private const long ReportEvery = 1024 * 1024;
    private long _done = alreadyDone;
    private long _reported = alreadyDone;

    public override long Length => inner.Length;
    public override long Position => _done;

    public override int Read(Span<byte> buffer) => Account(inner.Read(buffer));

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

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
