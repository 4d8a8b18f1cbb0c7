using System.Buffers;
using System.IO.Compression;
using System.Threading.Channels;

namespace Dockerless.Layers;

/// <summary>
/// gzip on every core: the input is cut into fixed-size blocks, each compressed on its own into
/// an independent gzip member, and the members are written in order (the result is a valid
/// multi-member gzip file that every gzip reader, Go's and .NET's included, reads as one). The
/// bytes depend only on the input and the block size, never on the number of cores or timing,
/// so layers stay reproducible. At most <c>2 × cores</c> blocks (and never more than
/// <see cref="MaxInFlight"/>) are in flight, their buffers pooled, so memory stays bounded and flat.
/// The blocks are compressed on threads of their own, one per core (as pigz does), not on the
/// thread pool: there they would queue ahead of the async file reads that produce the tar and
/// starve them, so the pipeline would run at one block at a time.
/// </summary>
internal sealed class ParallelGzipStream : WriteOnlyStream
{
    /// <summary>The size of each independently compressed block of input.</summary>
    internal const int BlockSize = 1 << 20;

    /// <summary>The most blocks in flight whatever the core count: 16 × 2 MiB of buffers at most.</summary>
    internal const int MaxInFlight = 16;

    /// <summary>
    /// Room for one compressed member: deflate grows incompressible input by a few bytes per
    /// stored block (zlib's compressBound is about 0.03 % more), plus gzip's 18 header and trailer bytes.
    /// </summary>
    private const int MemberCapacity = BlockSize + BlockSize / 64 + 1024;

    private readonly Stream _destination;
    private readonly CompressionLevel _level;
    private readonly int _maxInFlight;
    private readonly Queue<Task<Member>> _inFlight = new();
    private readonly Channel<Action> _work = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly int _maxWorkers;
    private int _workers;
    private byte[] _block = ArrayPool<byte>.Shared.Rent(BlockSize);
    private int _fill;
    private bool _finished;

    public ParallelGzipStream(Stream destination, CompressionLevel level, int maxInFlight = 0)
    {
        _destination = destination;
        _level = level;
        _maxInFlight = maxInFlight > 0 ? maxInFlight : Math.Min(2 * Environment.ProcessorCount, MaxInFlight);
        _maxWorkers = Math.Clamp(Environment.ProcessorCount, 1, Math.Max(1, _maxInFlight / 2));
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

    /// <summary>Hands the full (or last) block to a worker and starts a new one (none after the last).</summary>
    private void Dispatch(bool last = false)
    {
        var block = _block;
        var length = _fill;
        var level = _level;
        _block = last ? [] : ArrayPool<byte>.Shared.Rent(BlockSize);
        _fill = 0;
        if (last && _inFlight.Count == 0)
        {
            // A layer of one block: compressed right here, with no thread to start.
            _inFlight.Enqueue(Task.FromResult(Compress(block, length, level)));
            return;
        }
        var member = new TaskCompletionSource<Member>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_workers < _maxWorkers) StartWorker();
        _work.Writer.TryWrite(() =>
        {
            try
            {
                member.SetResult(Compress(block, length, level));
            }
            catch (Exception e)
            {
                member.SetException(e);
            }
        });
        _inFlight.Enqueue(member.Task);
    }

    /// <summary>Starts one more compressing thread; it ends when the stream is finished.</summary>
    private void StartWorker()
    {
        _workers++;
        var reader = _work.Reader;
        new Thread(() =>
        {
            while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (reader.TryRead(out var job)) job();
            }
        })
        { IsBackground = true, Name = "dockerless gzip" }.Start();
    }

    /// <summary>Compresses one block into a pooled buffer and gives the block's buffer back.</summary>
    private static Member Compress(byte[] block, int length, CompressionLevel level)
    {
        var output = ArrayPool<byte>.Shared.Rent(MemberCapacity);
        try
        {
            var member = new MemoryStream(output, 0, MemberCapacity, writable: true);
            using (var gzip = new GZipStream(member, level, leaveOpen: true)) gzip.Write(block, 0, length);
            return new Member(output, (int)member.Position);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(output);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
        }
    }

    private void WriteMember(Member member)
    {
        try
        {
            _destination.Write(member.Buffer, 0, member.Length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(member.Buffer);
        }
    }

    private async Task WriteMemberAsync(Task<Member> pending, CancellationToken cancellationToken)
    {
        var member = await pending.ConfigureAwait(false);
        try
        {
            await _destination.WriteAsync(member.Buffer.AsMemory(0, member.Length), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(member.Buffer);
        }
    }

    /// <summary>Compresses the last block and writes every member still in flight, in order.</summary>
    private async Task FinishAsync()
    {
        if (_finished) return;
        _finished = true;
        // An empty input still gets one (empty) member, as a plain gzip stream would.
        if (_fill > 0 || _inFlight.Count == 0)
        {
            Dispatch(last: true);
        }
        else
        {
            ArrayPool<byte>.Shared.Return(_block);
            _block = [];
        }
        try
        {
            while (_inFlight.Count > 0) await WriteMemberAsync(_inFlight.Dequeue(), CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _work.Writer.TryComplete();
        }
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

    /// <summary>A compressed member: the first <see cref="Length"/> bytes of a pooled buffer.</summary>
    private readonly record struct Member(byte[] Buffer, int Length);
}
