namespace Dockerless.Distribution.Blobs;

/// <summary>
/// A fixed number of slots for blobs sending bytes, handed out in rank order (the mover ranks
/// blobs largest first) whatever order the blobs become ready in: a large blob whose upload
/// session opened late still starts before a smaller one, so no large blob is left to run alone
/// at the end. Each rank takes its turn or passes it; a blob that has had its turn and must send
/// again (a retry) goes ahead of those still in line.
/// </summary>
internal sealed class TransferGate(int slots)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, TaskCompletionSource> _inLine = [];
    private readonly HashSet<int> _passed = [];
    private readonly Queue<TaskCompletionSource> _outOfTurn = new();
    private int _free = slots;
    private int _turn;

    /// <summary>Waits for a slot: at <paramref name="rank"/>'s turn, or as soon as one is free when that turn is over.</summary>
    public Task TakeAsync(int rank, CancellationToken cancellationToken)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (rank < _turn || _passed.Contains(rank)) _outOfTurn.Enqueue(waiter);
            else _inLine.Add(rank, waiter);
            Grant();
        }
        return WaitAsync(waiter, cancellationToken);
    }

    /// <summary>Gives up <paramref name="rank"/>'s turn (its blob needs no slot, or not yet), so later ranks need not wait for it.</summary>
    public void Pass(int rank)
    {
        lock (_lock)
        {
            if (rank >= _turn) _passed.Add(rank);
            Grant();
        }
    }

    /// <summary>Gives a slot back.</summary>
    public void Release()
    {
        lock (_lock)
        {
            _free++;
            Grant();
        }
    }

    private async Task WaitAsync(TaskCompletionSource waiter, CancellationToken cancellationToken)
    {
        try
        {
            await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Granted just as it was cancelled: hand the slot on. Otherwise the cancelled waiter
            // is skipped when its turn comes.
            if (!waiter.TrySetCanceled(cancellationToken)) Release();
            throw;
        }
    }

    /// <summary>Moves the turn past passed ranks and hands free slots out: retries first, then the rank whose turn it is.</summary>
    private void Grant()
    {
        while (true)
        {
            while (_passed.Remove(_turn)) _turn++;
            if (_free == 0) return;
            if (_outOfTurn.TryDequeue(out var retry))
            {
                if (retry.TrySetResult()) _free--;
            }
            else if (_inLine.Remove(_turn, out var next))
            {
                _turn++;
                if (next.TrySetResult()) _free--;
            }
            else
            {
                return;
            }
        }
    }
}
