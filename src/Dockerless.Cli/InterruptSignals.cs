using System.Runtime.InteropServices;

namespace Dockerless.Cli;

/// <summary>
/// The first SIGINT (Ctrl+C) or SIGTERM (a CI job cancelled, <c>docker stop</c>, a pod deleted)
/// cancels the running command: its transfers stop and what it had half written is removed
/// before the process exits, however long that takes. A second signal ends the process at once,
/// for a command that does not stop. A command that forwards signals (<c>run</c> with an OCI
/// runtime, see <see cref="ForwardTo"/>) gets the first one to forward; the second then cancels.
/// </summary>
internal sealed class InterruptSignals : IDisposable
{
    private static readonly AsyncLocal<InterruptSignals?> s_current = new();
    private readonly CancellationTokenSource _cancel;
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private Action<PosixSignal>? _forward;
    private int _count;
    private int _signal;

    public InterruptSignals(CancellationToken cancellationToken)
    {
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        s_current.Value = this;
    }

    /// <summary>The signals of the invocation running on this flow (null outside one).</summary>
    public static InterruptSignals? Current => s_current.Value;

    /// <summary>Cancelled by the first signal (or by the caller's token).</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>The exit code and the one-line message for the signal received, if one was.</summary>
    public (int ExitCode, string Message)? Received => Volatile.Read(ref _signal) switch
    {
        0 => null,
        (int)PosixSignal.SIGTERM => (ExitCodes.Terminated, "terminated"),
        _ => (ExitCodes.Interrupted, "interrupted"),
    };

    /// <summary>Hands the first signal to <paramref name="forward"/> instead of cancelling, until disposed.</summary>
    public IDisposable ForwardTo(Action<PosixSignal> forward)
    {
        Volatile.Write(ref _forward, forward);
        return new Forwarding(this);
    }

    private void OnSignal(PosixSignalContext context)
    {
        var forward = Volatile.Read(ref _forward);
        var count = Interlocked.Increment(ref _count);
        if (forward is not null && count == 1)
        {
            context.Cancel = true;
            forward(context.Signal);
            return;
        }
        // The signal after the one that cancelled keeps the default action: the process ends.
        if (Interlocked.CompareExchange(ref _signal, (int)context.Signal, 0) != 0) return;
        context.Cancel = true;
        _cancel.Cancel();
    }

    private sealed class Forwarding(InterruptSignals owner) : IDisposable
    {
        public void Dispose() => Volatile.Write(ref owner._forward, null);
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _cancel.Dispose();
    }
}
