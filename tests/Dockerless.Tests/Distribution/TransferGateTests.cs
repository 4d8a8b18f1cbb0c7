
namespace Dockerless.Tests.Distribution;

/// <summary>The slots that bound how many blobs send bytes at once, handed out largest (lowest rank) first.</summary>
public sealed class TransferGateTests
{
    [Fact]
    public async Task Slots_go_in_rank_order_whatever_order_the_blobs_ask_in()
    {
        var gate = new TransferGate(1);

        var third = gate.TakeAsync(2, CancellationToken.None);
        var second = gate.TakeAsync(1, CancellationToken.None);
        Assert.False(third.IsCompleted);
        Assert.False(second.IsCompleted);

        await gate.TakeAsync(0, CancellationToken.None);
        Assert.False(second.IsCompleted);
        gate.Release();
        await second;
        Assert.False(third.IsCompleted);
        gate.Release();
        await third;
    }

    [Fact]
    public async Task A_rank_that_passes_its_turn_does_not_hold_up_the_next()
    {
        var gate = new TransferGate(2);
        var next = gate.TakeAsync(1, CancellationToken.None);
        Assert.False(next.IsCompleted);

        gate.Pass(0);

        await next;
    }

    [Fact]
    public async Task A_blob_sending_again_goes_before_those_still_in_line()
    {
        var gate = new TransferGate(1);
        await gate.TakeAsync(0, CancellationToken.None);
        var inLine = gate.TakeAsync(1, CancellationToken.None);
        gate.Release();
        await inLine;

        var retry = gate.TakeAsync(0, CancellationToken.None);
        var later = gate.TakeAsync(2, CancellationToken.None);
        gate.Release();

        await retry;
        Assert.False(later.IsCompleted);
        gate.Release();
        await later;
    }

    [Fact]
    public async Task A_cancelled_wait_gives_up_its_turn_and_loses_no_slot()
    {
        var gate = new TransferGate(1);
        await gate.TakeAsync(0, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var cancelled = gate.TakeAsync(1, cancel.Token);
        var after = gate.TakeAsync(2, CancellationToken.None);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        gate.Release();

        await after;
        gate.Release();
        await gate.TakeAsync(3, CancellationToken.None);
    }

    [Fact]
    public async Task Every_blob_gets_a_slot_and_no_more_hold_one_at_once_than_the_gate_has()
    {
        const int Slots = 3;
        var gate = new TransferGate(Slots);
        var holding = 0;
        var most = 0;
        var order = new List<int>();

        await Parallel.ForEachAsync(Enumerable.Range(0, 40).Reverse(), new ParallelOptions { MaxDegreeOfParallelism = 40 }, async (rank, ct) =>
        {
            using var slot = new TransferSlot(gate, rank);
            if (rank % 5 == 0) return; // needs no slot: passes its turn on dispose
            await slot.TakeAsync(ct);
            lock (order) order.Add(rank);
            var now = Interlocked.Increment(ref holding);
            InterlockedMax(ref most, now);
            await Task.Yield();
            Interlocked.Decrement(ref holding);
        });

        Assert.InRange(most, 1, Slots);
        Assert.Equal(Enumerable.Range(0, 40).Where(r => r % 5 != 0), order.Order());
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
        }
    }
}
