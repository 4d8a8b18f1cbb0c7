using System.IO.Compression;

namespace Dockerless.Layers;

/// <summary>
/// gzip on every core: the input is cut into fixed-size blocks, each compressed on its own into
/// an independent gzip member, and the members are written in order (the result is a valid
/// multi-member gzip file that every gzip reader, Go's and .NET's included, reads as one). The
/// bytes depend only on the input and the block size, never on the number of cores or timing,
/// so layers stay reproducible. At most <c>2 × cores</c> blocks are in flight, so memory is bounded.
/// </summary>
internal sealed class ParallelGzipStream : WriteOnlyStream
{
    /// <summary>The size of each independently compressed block of input.</summary>
    internal const int BlockSize = 1 << 20;

    private readonly Stream _destination;
    private readonly CompressionLevel _level;
    private readonly int _maxInFlight;
    private readonly Queue<Task<MemoryStream>> _inFlight = new();
    private byte[] _block = new byte[BlockSize];
    private int _fill;
    private bool _finished;

    public ParallelGzipStream(Stream destination, CompressionLevel level, int maxInFlight = 0)
    {
        _destination = destination;
        _level = level;
        _maxInFlight = maxInFlight > 0 ? maxInFlight : 2 * Environment.ProcessorCount;
    }

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            buffer = Fill(buffer);
            if (_fill == BlockSize)
            {
                Dispatch();
                if (_inFlight.Count >= _maxInFlight) WriteMember(_inFlight.Dequeue().GetAwaiter().GetResult());
            }
        }
    }

    /// <inheritdoc/>
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            buffer = buffer[(buffer.Length - Fill(buffer.Span).Length)..];
            if (_fill == BlockSize)
            {
                Dispatch();
                if (_inFlight.Count >= _maxInFlight) await WriteMemberAsync(_inFlight.Dequeue(), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private ReadOnlySpan<byte> Fill(ReadOnlySpan<byte> buffer)
    {
        var take = Math.Min(BlockSize - _fill, buffer.Length);
        buffer[..take].CopyTo(_block.AsSpan(_fill));
        _fill += take;
        return buffer[take..];
    }

    /// <summary>Hands the full (or last) block to a worker and starts a new one.</summary>
    private void Dispatch()
    {
        var block = _block;
        var length = _fill;
        var level = _level;
        _inFlight.Enqueue(Task.Run(() => Compress(block, length, level)));
        _block = new byte[BlockSize];
        _fill = 0;
    }

    private static MemoryStream Compress(byte[] block, int length, CompressionLevel level)
    {
        var member = new MemoryStream();
        using (var gzip = new GZipStream(member, level, leaveOpen: true)) gzip.Write(block, 0, length);
        member.Position = 0;
        return member;
    }

    private void WriteMember(MemoryStream member)
    {
        using (member) member.CopyTo(_destination);
    }

    private async Task WriteMemberAsync(Task<MemoryStream> pending, CancellationToken cancellationToken)
    {
        var member = await pending.ConfigureAwait(false);
        await using (member.ConfigureAwait(false)) await member.CopyToAsync(_destination, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Compresses the last block and writes every member still in flight, in order.</summary>
    private async Task FinishAsync()
    {
        if (_finished) return;
        _finished = true;
        // An empty input still gets one (empty) member, as a plain gzip stream would.
        if (_fill > 0 || _inFlight.Count == 0) Dispatch();
        while (_inFlight.Count > 0) await WriteMemberAsync(_inFlight.Dequeue(), CancellationToken.None).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync()
    {
        await FinishAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing) FinishAsync().GetAwaiter().GetResult();
        base.Dispose(disposing);
    }

    /// <inheritdoc/>
    public override bool CanWrite => !_finished;
}
