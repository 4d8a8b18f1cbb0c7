using System.Runtime.InteropServices;

namespace Dockerless.Layers;

/// <summary>The kind of a file on the host, as lstat(2) reports it.</summary>
internal enum HostFileKind
{
    Regular,
    Directory,
    SymbolicLink,
    Fifo,
    CharacterDevice,
    BlockDevice,
    Socket,
}

/// <summary>
/// What a layer needs to know about a host file without following symlinks: its kind, permission
/// bits (with setuid, setgid and sticky), its identity for hard links, and device numbers.
/// .NET exposes neither inode numbers nor the file type of fifos and devices, so on Linux this
/// asks statx(2), whose struct layout is the same on every architecture.
/// </summary>
internal readonly record struct HostFileInfo(HostFileKind Kind, UnixFileMode Mode, long Size, uint LinkCount, ulong Device, ulong Inode, int DeviceMajor, int DeviceMinor)
{
    /// <summary>The owner's user id (0 where the platform cannot tell).</summary>
    public int Uid { get; init; }

    /// <summary>The owner's group id (0 where the platform cannot tell).</summary>
    public int Gid { get; init; }

    /// <summary>
    /// The last change of the file's content or metadata (ctime), in nanoseconds since the epoch;
    /// 0 where the platform cannot tell. Nothing can set it back, so it tells a file changed.
    /// </summary>
    public long ChangeTime { get; init; }

    /// <summary>
    /// When the file was made (btime), in nanoseconds since the epoch; 0 where the filesystem
    /// does not say. With the inode it tells a file removed and made again, whose inode number
    /// the filesystem may have given it anew.
    /// </summary>
    public long BirthTime { get; init; }

    /// <summary>statx(2)'s STATX_BTIME: asked for, and set in stx_mask when the filesystem gave it.</summary>
    private const uint StatxBirthTime = 0x800;

    /// <summary>Identifies the file across hard links; default when hard links cannot be told apart.</summary>
    public (ulong Device, ulong Inode) Identity => (Device, Inode);

    /// <summary>
    /// The file at <paramref name="path"/> itself, or with <paramref name="followLinks"/> what its
    /// symlinks lead to, as open(2) would reach it (through /proc's links to pipes and sockets too).
    /// </summary>
    public static HostFileInfo Read(string path, bool followLinks = false) => OperatingSystem.IsLinux() ? ReadLinux(path, followLinks) : ReadManaged(path, followLinks);

    private static HostFileInfo ReadLinux(string path, bool followLinks)
    {
        Span<byte> buffer = stackalloc byte[256];
        if (!TryStatx(path, buffer, followLinks))
        {
            const int NoSuchFile = 2;
            var errno = Marshal.GetLastPInvokeError();
            var message = $"{path}: cannot read: {Marshal.GetPInvokeErrorMessage(errno)}";
            if (errno != NoSuchFile) throw new IOException(message);
            throw UndecodableNames.ErrorFor(path, part => TryStatx(part, stackalloc byte[256], followLinks: false)) ?? new FileNotFoundException(message, path);
        }
        return FromStatx(buffer);
    }

    /// <summary>The file <paramref name="handle"/> has open (Linux only), as statx(2) of its descriptor reports it.</summary>
    public static HostFileInfo Read(Microsoft.Win32.SafeHandles.SafeFileHandle handle)
    {
        const int AtEmptyPath = 0x1000;
        const uint StatxBasicStats = 0x7ff;
        Span<byte> buffer = stackalloc byte[256];
        if (LinuxNativeMethods.Statx((int)handle.DangerousGetHandle(), "", AtEmptyPath, StatxBasicStats, buffer) != 0)
        {
            throw new IOException($"cannot read an open file's status: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
        return FromStatx(buffer);
    }

    private static HostFileInfo FromStatx(ReadOnlySpan<byte> buffer)
    {
        var nlink = MemoryMarshal.Read<uint>(buffer[16..]);
        var mode = MemoryMarshal.Read<ushort>(buffer[28..]);
        var inode = MemoryMarshal.Read<ulong>(buffer[32..]);
        var size = MemoryMarshal.Read<long>(buffer[40..]);
        var rdevMajor = MemoryMarshal.Read<int>(buffer[128..]);
        var rdevMinor = MemoryMarshal.Read<int>(buffer[132..]);
        var device = ((ulong)MemoryMarshal.Read<uint>(buffer[136..]) << 32) | MemoryMarshal.Read<uint>(buffer[140..]);
        return new HostFileInfo(KindOf(mode), (UnixFileMode)(mode & 0xFFF), size, nlink, device, inode, rdevMajor, rdevMinor)
        {
            Uid = MemoryMarshal.Read<int>(buffer[20..]),
            Gid = MemoryMarshal.Read<int>(buffer[24..]),
            ChangeTime = Nanoseconds(buffer[96..]),
            BirthTime = (MemoryMarshal.Read<uint>(buffer) & StatxBirthTime) != 0 ? Nanoseconds(buffer[80..]) : 0,
        };
    }

    /// <summary>A statx timestamp (seconds, then nanoseconds) as nanoseconds since the epoch.</summary>
    private static long Nanoseconds(ReadOnlySpan<byte> timestamp) => (MemoryMarshal.Read<long>(timestamp) * 1_000_000_000) + MemoryMarshal.Read<uint>(timestamp[8..]);

    /// <summary>The kind a stat mode's file type bits (<c>S_IFMT</c>) name.</summary>
    internal static HostFileKind KindOf(int mode) => (mode & 0xF000) switch
    {
        0x4000 => HostFileKind.Directory,
        0xA000 => HostFileKind.SymbolicLink,
        0x1000 => HostFileKind.Fifo,
        0x2000 => HostFileKind.CharacterDevice,
        0x6000 => HostFileKind.BlockDevice,
        0xC000 => HostFileKind.Socket,
        _ => HostFileKind.Regular,
    };

    /// <summary>statx(2) of <paramref name="path"/> (a symlink itself unless <paramref name="followLinks"/>) into <paramref name="buffer"/>; false with errno set on failure.</summary>
    private static bool TryStatx(string path, Span<byte> buffer, bool followLinks)
    {
        const int AtFdCwd = -100;
        const int AtSymlinkNoFollow = 0x100;
        const uint StatxBasicStats = 0x7ff;
        return LinuxNativeMethods.Statx(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, StatxBasicStats | StatxBirthTime, buffer) == 0;
    }

    /// <summary>Elsewhere: no hard link detection, and fifos or devices look like empty files.</summary>
    private static HostFileInfo ReadManaged(string path, bool followLinks)
    {
        FileSystemInfo info = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
        if (followLinks && info.LinkTarget is not null) info = info.ResolveLinkTarget(returnFinalTarget: true) ?? info;
        if (!info.Exists && info.LinkTarget is null) throw new FileNotFoundException($"{path}: no such file or directory", path);
        var kind = info.LinkTarget is not null ? HostFileKind.SymbolicLink
            : info is DirectoryInfo ? HostFileKind.Directory
            : HostFileKind.Regular;
        var mode = OperatingSystem.IsWindows()
            ? kind == HostFileKind.Regular ? (UnixFileMode)0x1A4 : (UnixFileMode)0x1ED
            : info.UnixFileMode;
        return new HostFileInfo(kind, mode, info is FileInfo file && kind == HostFileKind.Regular ? file.Length : 0, 1, 0, 0, 0, 0);
    }
}

/// <summary>The one libc call .NET has no managed equivalent for.</summary>
internal static partial class LinuxNativeMethods
{
    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Statx(int dirfd, string path, int flags, uint mask, Span<byte> buffer);

    [LibraryImport("libc", EntryPoint = "readlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint ReadLink(string path, Span<byte> buffer, nuint size);
}
