using Dockerless.Build.Publishing;
using Microsoft.Build.Framework;
using MSBuildTask = Microsoft.Build.Utilities.Task;

namespace Dockerless.Build.Tasks;

/// <summary>
/// A task whose work is asynchronous and cancellable (Ctrl+C stops it), and whose failures are
/// MSBuild errors with a DLB code and a message naming what was wrong, never a stack trace.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "MSBuild never disposes a task; Execute disposes the source when the work ends.")]
public abstract class AsyncTask : MSBuildTask, ICancelableTask, IPublishLog
{
    private readonly CancellationTokenSource _cancel = new();

    /// <inheritdoc/>
    public void Cancel()
    {
        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The work had already ended.
        }
    }

    /// <inheritdoc/>
    public sealed override bool Execute()
    {
        try
        {
            ExecuteAsync(_cancel.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
        {
            Log.LogMessage(MessageImportance.High, "{0} was canceled.", GetType().Name);
            return false;
        }
        catch (Exception e) when (CodeOf(e) is { } code)
        {
            Log.LogError(null, code, null, null, 0, 0, 0, 0, "{0}", e.Message);
            if (code == ErrorCodes.Failed && e is not DockerlessException) Log.LogMessage(MessageImportance.Low, "{0}", e.ToString());
        }
        finally
        {
            _cancel.Dispose();
        }
        return !Log.HasLoggedErrors;
    }

    /// <summary>The work.</summary>
    protected abstract Task ExecuteAsync(CancellationToken cancellationToken);

    /// <inheritdoc/>
    public void Message(string text) => Log.LogMessage(MessageImportance.High, "{0}", text);

    /// <inheritdoc/>
    public void Detail(string text) => Log.LogMessage(MessageImportance.Low, "{0}", text);

    /// <inheritdoc/>
    public void Warning(string code, string text) => Log.LogWarning(null, code, null, null, 0, 0, 0, 0, "{0}", text);

    /// <summary>The DLB code of a failure.</summary>
    internal static string? CodeOf(Exception e) => e switch
    {
        BaseImageException => ErrorCodes.BaseImage,
        ContainerSettingsException or InvalidReferenceException or InvalidLocationException => ErrorCodes.InvalidSetting,
        PlatformNotFoundException => ErrorCodes.Platform,
        CredentialException => ErrorCodes.Credentials,
        RegistryException => ErrorCodes.Registry,
        DigestMismatchException => ErrorCodes.DamagedContent,
        EngineNotFoundException or EngineCommandException => ErrorCodes.LocalRegistry,
        InvalidDataException or IOException or UnauthorizedAccessException => ErrorCodes.Io,
        OperationCanceledException => null,
        _ => ErrorCodes.Failed,
    };
}
