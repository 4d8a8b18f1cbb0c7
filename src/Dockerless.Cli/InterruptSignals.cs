using System.Runtime.InteropServices;

namespace Dockerless.Cli;

/// <summary>
/// The first SIGINT (Ctrl+C) or SIGTERM (a CI job cancelled, <c>docker stop</c>, a pod deleted)
/// cancels the running command: its transfers stop and what it had half written is removed
/// before the process exits, however long that takes. A second signal ends the process at once,
/// for a command that does not stop.
/// </summary>
internal sealed class InterruptSignals : IDisposable
{
    private readonly CancellationTokenSource _cancel;
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private int _signal;

    public InterruptSignals(CancellationToken cancellationToken)
    {
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Cancelled by the first signal (or by the caller's token).</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>The exit code and the one-line message for the signal received, if one was.</summary>
    public (int ExitCode, string Message)? Received => Volatile.Read(ref _signal) switch
    {
        0 => null,
        (int)PosixSignal.SIGTERM => (ExitCodes.Terminated, "terminated"),
        _ => (ExitCodes.Interrupted, "interrupted"),
    };

    private void OnSignal(PosixSignalContext context)
    {
        // A second signal keeps the default action: the process ends.
        if (Interlocked.CompareExchange(ref _signal, (int)context.Signal, 0) != 0) return;
        context.Cancel = true;
        _cancel.Cancel();
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _cancel.Dispose();
    }
}
