using Dockerless.Layers;

namespace Dockerless.Unpacking;

/// <summary>An open file descriptor, closed on dispose.</summary>
internal sealed class FileDescriptor(int value) : IDisposable
{
    public int Value { get; private set; } = value;

    /// <summary>openat(2) of <paramref name="name"/> in <paramref name="directory"/>; throws naming <paramref name="display"/> on failure.</summary>
    public static FileDescriptor Open(int directory, string name, int flags, string display, uint mode = 0)
    {
        var fd = Syscalls.OpenAt(directory, name, flags | Syscalls.CloseOnExec, mode);
        if (fd < 0) throw Syscalls.Error(Syscalls.LastError, "open", display);
        return new FileDescriptor(fd);
    }

    /// <summary>openat(2) that returns null with the errno instead of throwing.</summary>
    public static FileDescriptor? TryOpen(int directory, string name, int flags, out int errno, uint mode = 0)
    {
        var fd = Syscalls.OpenAt(directory, name, flags | Syscalls.CloseOnExec, mode);
        errno = fd < 0 ? Syscalls.LastError : 0;
        return fd < 0 ? null : new FileDescriptor(fd);
    }

    /// <summary>Hands the descriptor over; this object no longer closes it.</summary>
    public int Release()
    {
        var value = Value;
        Value = -1;
        return value;
    }

    public void Dispose()
    {
        if (Value >= 0) _ = Syscalls.Close(Value);
        Value = -1;
    }
}

/// <summary>The kind of a file already in the tree, read without following a symlink.</summary>
internal static class NodeKinds
{
    /// <summary>What <paramref name="name"/> in <paramref name="directory"/> is, or null when nothing is there.</summary>
    public static HostFileKind? Of(int directory, string name, string display)
    {
        Span<byte> buffer = stackalloc byte[256];
        const uint StatxType = 0x1;
        if (LinuxNativeMethods.Statx(directory, name, Syscalls.AtSymlinkNoFollow | (name.Length == 0 ? Syscalls.AtEmptyPath : 0), StatxType, buffer) != 0)
        {
            var errno = Syscalls.LastError;
            return errno == Syscalls.NoEntry ? null : throw Syscalls.Error(errno, "stat", display);
        }
        return HostFileInfo.KindOf(BitConverter.ToUInt16(buffer[28..30]));
    }
}
