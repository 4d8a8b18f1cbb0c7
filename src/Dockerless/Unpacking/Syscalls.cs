using System.Runtime.InteropServices;

namespace Dockerless.Unpacking;

/// <summary>
/// The Linux calls unpacking needs that .NET does not offer: every one works relative to a
/// directory descriptor and none follows a symlink in the last part of a name, which is what
/// keeps writes inside the root whatever the layers hold. Flag values differ between
/// architectures (<c>O_DIRECTORY</c>, <c>O_NOFOLLOW</c>); the rest are the same everywhere.
/// </summary>
internal static unsafe partial class Syscalls
{
    public const int ReadOnly = 0;
    public const int WriteOnly = 1;
    public const int Create = 0x40;
    public const int Exclusive = 0x80;
    public const int Path = 0x200000;
    public const int CloseOnExec = 0x80000;

    /// <summary>arm, arm64 and powerpc number these two apart from the generic (x86, riscv) values.</summary>
    private static readonly bool s_armStyleFlags = RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64 or Architecture.Armv6 or Architecture.Ppc64le;
    public static readonly int Directory = s_armStyleFlags ? 0x4000 : 0x10000;
    public static readonly int NoFollow = s_armStyleFlags ? 0x8000 : 0x20000;

    public const int AtSymlinkNoFollow = 0x100;
    public const int AtRemoveDirectory = 0x200;
    public const int AtEmptyPath = 0x1000;

    public const int NoEntry = 2;
    public const int Interrupted = 4;
    public const int TryAgain = 11;
    public const int AccessDenied = 13;
    public const int NotPermitted = 1;
    public const int Exists = 17;
    public const int CrossDevice = 18;
    public const int NotDirectory = 20;
    public const int IsDirectory = 21;
    public const int InvalidArgument = 22;
    public const int NameTooLong = 36;
    public const int NotImplemented = 38;
    public const int NotEmpty = 39;
    public const int Loop = 40;
    public const int NoData = 61;
    public const int NotSupported = 95;
    public const int TooBig = 7;

    /// <summary><c>resolve</c> flags of openat2(2).</summary>
    public const ulong ResolveNoMagicLinks = 0x02;
    public const ulong ResolveInRoot = 0x10;

    private const long SysOpenat2 = 437;
    private const long SysFchmodat2 = 452;

    [StructLayout(LayoutKind.Sequential)]
    public struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int OpenAt(int directory, string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial long Openat2(long number, int directory, string path, OpenHow* how, nuint size);

    /// <summary>openat2(2); -1 with errno set (ENOSYS where the kernel is older than 5.6).</summary>
    public static int OpenAt2(int directory, string path, OpenHow how) => (int)Openat2(SysOpenat2, directory, path, &how, (nuint)sizeof(OpenHow));

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial long Fchmodat2(long number, int directory, string path, uint mode, int flags);

    /// <summary>fchmodat2(2) (Linux 6.6), the only chmod that can refuse to follow a symlink; ENOSYS before.</summary>
    public static int ChangeModeNoFollow(int directory, string name, uint mode) => (int)Fchmodat2(SysFchmodat2, directory, name, mode, AtSymlinkNoFollow);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "mkdirat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MakeDirectoryAt(int directory, string name, uint mode);

    [LibraryImport("libc", EntryPoint = "mknodat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MakeNodeAt(int directory, string name, uint mode, ulong device);

    [LibraryImport("libc", EntryPoint = "symlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SymlinkAt(string target, int directory, string name);

    [LibraryImport("libc", EntryPoint = "linkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int LinkAt(int fromDirectory, string fromName, int toDirectory, string toName, int flags);

    [LibraryImport("libc", EntryPoint = "unlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int UnlinkAt(int directory, string name, int flags);

    [LibraryImport("libc", EntryPoint = "readlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint ReadLinkAt(int directory, string name, byte* buffer, nuint size);

    [LibraryImport("libc", EntryPoint = "fchownat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ChangeOwnerAt(int directory, string name, uint uid, uint gid, int flags);

    [LibraryImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    public static partial int ChangeMode(int fd, uint mode);

    [LibraryImport("libc", EntryPoint = "chmod", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ChangeModeOfPath(string path, uint mode);

    [LibraryImport("libc", EntryPoint = "utimensat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SetTimesAt(int directory, string name, Timespec* times, int flags);

    [LibraryImport("libc", EntryPoint = "futimens", SetLastError = true)]
    public static partial int SetTimes(int fd, Timespec* times);

    [LibraryImport("libc", EntryPoint = "fsetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SetAttribute(int fd, string name, byte* value, nuint size, int flags);

    [LibraryImport("libc", EntryPoint = "lsetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SetAttributeOfPath(string path, string name, byte* value, nuint size, int flags);

    [LibraryImport("libc", EntryPoint = "flistxattr", SetLastError = true)]
    public static partial nint ListAttributes(int fd, byte* list, nuint size);

    [LibraryImport("libc", EntryPoint = "fremovexattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int RemoveAttribute(int fd, string name);

    [LibraryImport("libc", EntryPoint = "fdopendir", SetLastError = true)]
    public static partial nint OpenDirectoryStream(int fd);

    [LibraryImport("libc", EntryPoint = "readdir64", SetLastError = true)]
    public static partial nint ReadDirectory(nint stream);

    [LibraryImport("libc", EntryPoint = "closedir", SetLastError = true)]
    public static partial int CloseDirectoryStream(nint stream);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint EffectiveUserId();

    /// <summary>The errno of the call that just failed.</summary>
    public static int LastError => Marshal.GetLastPInvokeError();

    /// <summary>An <see cref="IOException"/> for errno <paramref name="errno"/>, naming what failed on which path.</summary>
    public static IOException Error(int errno, string action, string path)
        => new($"{path}: cannot {action}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);

    /// <summary>Throws for the last errno unless <paramref name="result"/> says success.</summary>
    public static void Check(int result, string action, string path)
    {
        if (result < 0) throw Error(LastError, action, path);
    }
}
