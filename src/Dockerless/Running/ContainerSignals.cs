using System.Runtime.InteropServices;

namespace Dockerless.Running;

/// <summary>
/// Sends signals to a running container, as docker's CLI forwards those it receives
/// (<c>--sig-proxy</c>): give one in <see cref="Engines.RunOptions.Signals"/>, then call
/// <see cref="Send(PosixSignal)"/>, for example from a <see cref="PosixSignalRegistration"/> handler. A signal
/// sent while no container runs is dropped.
/// </summary>
public sealed class ContainerSignals
{
    private readonly Lock _lock = new();
    private Action<int>? _target;

    /// <summary>Sends <paramref name="signal"/> (SIGHUP, SIGINT, SIGQUIT or SIGTERM; others by number) to the container's main process.</summary>
    public void Send(PosixSignal signal) => Send(Number(signal));

    /// <summary>Sends the signal numbered <paramref name="signal"/> (Linux numbering: 2 is SIGINT, 15 SIGTERM) to the container's main process.</summary>
    public void Send(int signal)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(signal);
        Action<int>? target;
        lock (_lock) target = _target;
        target?.Invoke(signal);
    }

    /// <summary>Points the signals at a run until the returned handle is disposed.</summary>
    internal IDisposable Attach(Action<int> target)
    {
        lock (_lock) _target = target;
        return new Detach(this, target);
    }

    /// <summary>The Linux number of a <see cref="PosixSignal"/> (which .NET numbers apart from the system's).</summary>
    internal static int Number(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGHUP => 1,
        PosixSignal.SIGINT => 2,
        PosixSignal.SIGQUIT => 3,
        PosixSignal.SIGTERM => 15,
        _ when (int)signal > 0 => (int)signal,
        _ => throw new ArgumentOutOfRangeException(nameof(signal), signal, "give other signals by their number"),
    };

    private sealed class Detach(ContainerSignals owner, Action<int> target) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._lock)
            {
                if (owner._target == target) owner._target = null;
            }
        }
    }
}
