using Microsoft.Win32.SafeHandles;

namespace Dockerless.Stores;

/// <summary>
/// An exclusive lock on a file, held across processes until disposed or until the holder dies
/// (the kernel drops it then, even after SIGKILL). On Linux it is flock(2) on a file opened by
/// open(2) directly: the lock the <c>flock</c> command takes, so scripts can join in; unlike
/// <see cref="FileShare.None"/> it cannot be turned off by <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c>,
/// and opening the file does not fail while another process holds it. Two locks on one file in
/// one process exclude each other too (flock belongs to the open file, not the process).
/// Elsewhere it is a <see cref="FileShare.None"/> stream, which .NET backs with the system's lock.
/// </summary>
internal sealed class FileLock : IDisposable
{
    private static readonly TimeSpan s_longestWait = TimeSpan.FromMilliseconds(50);

    private readonly IDisposable _handle;

    private FileLock(string path, IDisposable handle)
    {
        Path = path;
        _handle = handle;
    }

    /// <summary>The lock file.</summary>
    public string Path { get; }

    /// <summary>
    /// Waits for the lock on <paramref name="path"/>, making the file (and its directory) when
    /// missing. A lock file deleted or replaced while this waited is opened again, so the lock
    /// returned is always on the file the path names.
    /// </summary>
    public static async Task<FileLock> AcquireAsync(string path, CancellationToken cancellationToken)
    {
        var wait = TimeSpan.FromMilliseconds(1);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            if (TryLock(path, create: true) is { } held)
            {
                if (IsStill(held, path)) return new FileLock(path, held);
                held.Dispose();
                continue;
            }
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, s_longestWait.Ticks));
        }
    }

    /// <summary>
    /// The lock on the existing file <paramref name="path"/> if nobody holds it now, else null
    /// (a live holder, or no such file): whether a lock's holder is still alive.
    /// </summary>
    public static FileLock? TryAcquireExisting(string path)
        => TryLock(path, create: false) is { } held ? new FileLock(path, held) : null;

    public void Dispose() => _handle.Dispose();

    /// <summary>The open, locked file; null when another holds the lock (or, without <paramref name="create"/>, when there is no file).</summary>
    private static IDisposable? TryLock(string path, bool create)
    {
        if (!OperatingSystem.IsLinux()) return TryLockStream(path, create);
        var handle = StoreNativeMethods.OpenForLock(path, create);
        if (handle is null)
        {
            if (!create && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == StoreNativeMethods.NoEntry) return null;
            throw StoreNativeMethods.Error("open the lock file", path);
        }
        try
        {
            while (StoreNativeMethods.Flock(handle, StoreNativeMethods.LockExclusive | StoreNativeMethods.LockNonBlocking) < 0)
            {
                var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (errno == StoreNativeMethods.WouldBlock)
                {
                    handle.Dispose();
                    return null;
                }
                if (errno != StoreNativeMethods.Interrupted) throw StoreNativeMethods.Error("lock", path);
            }
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static FileStream? TryLockStream(string path, bool create)
    {
        try
        {
            return new FileStream(path, create ? FileMode.OpenOrCreate : FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        }
        catch (FileNotFoundException) when (!create)
        {
            return null;
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            return null; // Held by another: .NET reports the sharing violation as a plain IOException.
        }
    }

    /// <summary>True when <paramref name="path"/> still names the file <paramref name="held"/> has open (not deleted or replaced meanwhile).</summary>
    private static bool IsStill(IDisposable held, string path)
    {
        if (held is not SafeFileHandle handle) return File.Exists(path);
        try
        {
            return HostFileInfo.Read(path).Identity == HostFileInfo.Read(handle).Identity;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }
}
