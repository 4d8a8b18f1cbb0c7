using System.Runtime.InteropServices;

namespace Dockerless.Unpacking;

/// <summary>
/// Removes files and whole directories of the tree through descriptors, never following a
/// symlink: a link is removed as itself, and a directory is entered only after it was opened
/// with O_NOFOLLOW relative to its parent, so nothing outside the root can be touched. The
/// depth is bounded by <see cref="PathResolver.MaxPathBytes"/>, so recursion is too.
/// </summary>
internal static class TreeRemover
{
    private const uint OwnerAll = 0x1C0;

    /// <summary>Removes <paramref name="name"/> from <paramref name="directory"/> with all it holds; nothing there is fine.</summary>
    public static void Remove(int directory, string name, string display)
    {
        if (Syscalls.UnlinkAt(directory, name, 0) == 0) return;
        var errno = Syscalls.LastError;
        if (errno == Syscalls.NoEntry) return;
        // unlink(2) of a directory: EISDIR on Linux, EPERM where POSIX allows it.
        if (errno is not (Syscalls.IsDirectory or Syscalls.NotPermitted)) throw Syscalls.Error(errno, "remove", display);
        // Emptying a directory needs write rights on it, which a layer's 0555 takes from a rootless
        // unpack; its mode no longer matters.
        _ = Modes.TrySet(directory, name, OwnerAll, display);
        using (var child = OpenForListing(directory, name, display))
        {
            if (child is null) return;
            RemoveChildren(child.Value, display, keep: null);
        }
        if (Syscalls.UnlinkAt(directory, name, Syscalls.AtRemoveDirectory) != 0 && Syscalls.LastError != Syscalls.NoEntry)
        {
            throw Syscalls.Error(Syscalls.LastError, "remove", display);
        }
    }

    /// <summary>Removes what <paramref name="directory"/> holds, except the names <paramref name="keep"/> says to keep.</summary>
    public static void RemoveChildren(int directory, string display, Func<string, bool>? keep)
    {
        foreach (var name in List(directory, display))
        {
            if (keep?.Invoke(name) == true) continue;
            Remove(directory, name, $"{display}/{name}");
        }
    }

    /// <summary>
    /// Opens a directory to list and empty it; null when it is gone. A directory without owner
    /// rights (a layer's 0500 or 0000, made rootless) is given them first: its mode no longer matters.
    /// </summary>
    public static FileDescriptor? OpenForListing(int parent, string name, string display)
    {
        var flags = Syscalls.ReadOnly | Syscalls.Directory | Syscalls.NoFollow;
        var fd = FileDescriptor.TryOpen(parent, name, flags, out var errno);
        if (fd is null && errno == Syscalls.AccessDenied && Modes.TrySet(parent, name, OwnerAll, display))
        {
            fd = FileDescriptor.TryOpen(parent, name, flags, out errno);
        }
        if (fd is not null || errno == Syscalls.NoEntry) return fd;
        throw Syscalls.Error(errno, "open", display);
    }

    /// <summary>The names in a directory (without . and ..), read through a descriptor of its own.</summary>
    public static List<string> List(int directory, string display)
    {
        var own = FileDescriptor.Open(directory, ".", Syscalls.ReadOnly | Syscalls.Directory, display);
        var stream = Syscalls.OpenDirectoryStream(own.Value);
        if (stream == 0)
        {
            var errno = Syscalls.LastError;
            own.Dispose();
            throw Syscalls.Error(errno, "list", display);
        }
        own.Release();
        try
        {
            var names = new List<string>();
            while (Syscalls.ReadDirectory(stream) is var entry && entry != 0)
            {
                // struct dirent64: d_ino (8), d_off (8), d_reclen (2), d_type (1), then d_name.
                var name = Marshal.PtrToStringUTF8(entry + 19)!;
                if (name is not ("." or "..")) names.Add(name);
            }
            if (Syscalls.LastError != 0) throw Syscalls.Error(Syscalls.LastError, "list", display);
            return names;
        }
        finally
        {
            _ = Syscalls.CloseDirectoryStream(stream);
        }
    }
}
