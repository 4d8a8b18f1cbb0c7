namespace Dockerless.Distribution.Blobs;

/// <summary>
/// One blob's claim on a <see cref="TransferGate"/>: taken just before its bytes are sent and
/// given back once they are out, while the registry commits them. Distribution's filesystem
/// driver fsyncs a blob on the final PUT; a slot held through that would leave the link idle
/// while the disk works. A blob that has to be sent again takes a slot again. Without a gate
/// (a small blob) there is nothing to wait for.
/// </summary>
internal sealed class TransferSlot(TransferGate? gate, int rank) : IDisposable
{
    private bool _held;
    private bool _turnOver;

    /// <summary>Waits for a slot, unless this blob holds one already.</summary>
    public async Task TakeAsync(CancellationToken cancellationToken)
    {
        if (_held || gate is null) return;
        await gate.TakeAsync(rank, cancellationToken).ConfigureAwait(false);
        _held = true;
        _turnOver = true;
    }

    /// <summary>Gives the slot back, if this blob holds one.</summary>
    public void Release()
    {
        if (!_held) return;
        _held = false;
        gate!.Release();
    }

    /// <summary>Lets later blobs go first while this one needs no slot (it exists, was mounted, or is being moved by someone else).</summary>
    public void PassTurn()
    {
        if (_turnOver || gate is null) return;
        _turnOver = true;
        gate.Pass(rank);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Release();
        PassTurn();
    }
}
