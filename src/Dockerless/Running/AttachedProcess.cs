using System.ComponentModel;
using System.Diagnostics;

namespace Dockerless.Running;

/// <summary>
/// A process that runs a container in the foreground (<c>runc run</c>, <c>docker run</c>) with
/// the run's standard streams attached: its output streamed to the caller and captured, the
/// caller's input copied in (then closed), or with a terminal this process's own streams handed over.
/// </summary>
internal sealed class AttachedProcess : IDisposable
{
    private readonly Process _process;
    private readonly MemoryStream _stdout = new();
    private readonly MemoryStream _stderr = new();
    private readonly CancellationTokenSource _inputDone = new();
    private readonly Task _output;

    private AttachedProcess(Process process, RunOptions options)
    {
        _process = process;
        if (options.Terminal)
        {
            _output = Task.CompletedTask;
            return;
        }
        _output = Task.WhenAll(
            OutputPump.PumpAsync(process.StandardOutput.BaseStream, options.StandardOutput, options.CaptureOutput ? _stdout : null),
            OutputPump.PumpAsync(process.StandardError.BaseStream, options.StandardError, options.CaptureOutput ? _stderr : null));
        if (options.StandardInput is { } input) _ = CopyInputAsync(input, process.StandardInput.BaseStream);
        else process.StandardInput.Close();
    }

    public int Id => _process.Id;

    /// <summary>Standard output then standard error, as captured.</summary>
    public string Output => OutputPump.Text(_stdout, _stderr);

    /// <summary>Starts <paramref name="executable"/>; a program that cannot be started is a <see cref="Win32Exception"/>.</summary>
    public static AttachedProcess Start(string executable, IEnumerable<string> arguments, RunOptions options)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = !options.Terminal,
            RedirectStandardError = !options.Terminal,
            RedirectStandardInput = !options.Terminal,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        var process = Process.Start(info) ?? throw new Win32Exception($"{executable} did not start");
        return new AttachedProcess(process, options);
    }

    /// <summary>
    /// Waits for the process to end and its output to drain; returns its exit code. When
    /// <paramref name="cancellationToken"/> fires, <paramref name="stop"/> ends the container
    /// (killing the foreground process alone would leave it running), the process is waited for,
    /// and the cancellation is thrown.
    /// </summary>
    public async Task<int> WaitAsync(Func<Task> stop, CancellationToken cancellationToken)
    {
        try
        {
            await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await stop().ConfigureAwait(false);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
            throw;
        }
        finally
        {
            await _inputDone.CancelAsync().ConfigureAwait(false);
        }
        await _output.ConfigureAwait(false);
        return _process.ExitCode;
    }

    private async Task CopyInputAsync(Stream input, Stream stdin)
    {
        try
        {
            await input.CopyToAsync(stdin, _inputDone.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The container ended, or closed its input, before reading all of it: as with a pipe, the rest is dropped.
        }
        finally
        {
            try
            {
                stdin.Close();
            }
            catch (IOException)
            {
                // Already broken: nothing more to tell the container.
            }
        }
    }

    public void Dispose()
    {
        _inputDone.Cancel();
        _inputDone.Dispose();
        _process.Dispose();
    }
}
