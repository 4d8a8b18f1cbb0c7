using System.Diagnostics;

namespace Dockerless.Tests.Hostile;

/// <summary>
/// Measures what an operation costs in memory: bytes allocated on this thread's process (all
/// threads, precise) and the growth of the peak working set. Other tests run in parallel, so the
/// peak is only logged; assertions use generous bounds on allocation.
/// </summary>
internal sealed class MemoryProbe
{
    private readonly long _allocated = GC.GetTotalAllocatedBytes(precise: true);
    private readonly long _peak = CurrentPeak();

    public long Allocated => GC.GetTotalAllocatedBytes(precise: true) - _allocated;

    public long PeakGrowth => CurrentPeak() - _peak;

    public override string ToString() => $"allocated {Allocated / (1 << 20)} MiB, peak working set grew {PeakGrowth / (1 << 20)} MiB";

    private static long CurrentPeak()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }
}

/// <summary>A write-only sink that counts what it is given.</summary>
internal sealed class CountingSink : Stream
{
    public long Count { get; private set; }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => Count;
    public override long Position { get => Count; set => throw new NotSupportedException(); }
    public override void Write(byte[] buffer, int offset, int count) => Count += count;
    public override void Write(ReadOnlySpan<byte> buffer) => Count += buffer.Length;

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Count += buffer.Length;
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Count += count;
        return Task.CompletedTask;
    }

    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}

/// <summary>Tests that measure allocation run alone: the counters are process-wide.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurements
{
    public const string Name = "Memory measurements";
}
