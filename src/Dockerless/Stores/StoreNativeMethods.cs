using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Dockerless.Stores;

/// <summary>
/// The Linux calls a shared store needs that .NET does not offer: open(2) without .NET's own
/// advisory lock (it takes a shared flock on every file it opens for sharing), flock(2), and
/// fsync(2) of a directory, which makes the renames in it durable.
/// </summary>
internal static partial class StoreNativeMethods
{
    private const int ReadOnly = 0;
    private const int ReadWrite = 2;
    private const int Create = 0x40;
    private const int CloseOnExec = 0x80000;

    public const int LockExclusive = 2;
    public const int LockNonBlocking = 4;
    public const int WouldBlock = 11;
    public const int Interrupted = 4;
    public const int NoEntry = 2;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    public static partial int Flock(SafeFileHandle handle, int operation);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(SafeFileHandle handle);

    /// <summary>Opens (with <paramref name="create"/>, makes) a file for locking; null with errno set when it cannot.</summary>
    public static SafeFileHandle? OpenForLock(string path, bool create)
    {
        const uint ReadWriteByOwnerReadByOthers = 0x1A4; // 0644
        var fd = Open(path, ReadWrite | CloseOnExec | (create ? Create : 0), ReadWriteByOwnerReadByOthers);
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>fsync(2) of the directory <paramref name="path"/>, so that the names created or renamed in it survive a power loss.</summary>
    public static void FlushDirectory(string path)
    {
        var fd = Open(path, ReadOnly | CloseOnExec, 0);
        if (fd < 0) throw Error("open", path);
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (Fsync(handle) < 0) throw Error("flush", path);
    }

    /// <summary>An <see cref="IOException"/> for the last errno, naming what failed on which path.</summary>
    public static IOException Error(string action, string path)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"cannot {action} {path}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }
}
