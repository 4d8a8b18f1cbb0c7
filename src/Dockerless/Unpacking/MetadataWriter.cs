using System.Text;

namespace Dockerless.Unpacking;

/// <summary>Which entry is being written: the layer, its path in the image, and where it lands, for reports and errors.</summary>
internal readonly record struct EntryPlace(string Layer, string Path, string Display);

/// <summary>
/// Gives a node the owner, extended attributes, mode and times its entry says, in that order
/// (chown(2) clears setuid and setgid, so the mode comes after it), without following symlinks.
/// Rootless, owners are kept in <see cref="RootlessOwner"/>'s attribute instead, and attributes
/// the system refuses to an unprivileged user are skipped and reported.
/// </summary>
internal sealed unsafe class MetadataWriter(bool rootless, bool preserveOwners, UnpackTally tally)
{
    /// <summary>Host-specific attributes umoci never sets either: labels of the host's policy, NFS ACLs.</summary>
    private static readonly HashSet<string> s_hostOnly = new(StringComparer.Ordinal) { "security.selinux", "system.nfs4_acl" };

    /// <summary>Owner and attributes of an open regular file or directory, then (when <paramref name="modeAndTimes"/>) its mode and times.</summary>
    public void ApplyToOpenNode(int fd, EntryMetadata metadata, EntryPlace place, bool clearXattrs, bool modeAndTimes)
    {
        if (!rootless && preserveOwners)
        {
            CheckOwner(Syscalls.ChangeOwnerAt(fd, "", (uint)metadata.Uid, (uint)metadata.Gid, Syscalls.AtEmptyPath), metadata, place);
        }
        if (clearXattrs) ClearXattrs(fd, place);
        foreach (var (name, value) in XattrsFor(metadata, place, symlink: false))
        {
            fixed (byte* bytes = value)
            {
                SetXattr(Syscalls.SetAttribute(fd, name, bytes, (nuint)value.Length, 0), name, place);
            }
        }
        if (modeAndTimes) SetModeAndTimes(fd, metadata.Mode, metadata.AccessTime, metadata.ModificationTime, place.Display);
    }

    /// <summary>Sets overlayfs's <c>trusted.overlay.opaque=y</c> on an open directory: the layers below it do not show through.</summary>
    public static void MarkOpaque(int fd, string display)
    {
        ReadOnlySpan<byte> yes = "y"u8;
        fixed (byte* bytes = yes)
        {
            Syscalls.Check(Syscalls.SetAttribute(fd, "trusted.overlay.opaque", bytes, 1, 0), "mark opaque", display);
        }
    }

    /// <summary>Everything for a node that is not opened (a symlink, fifo or device), named in its parent.</summary>
    public void ApplyAt(int parent, string name, EntryMetadata metadata, EntryPlace place, bool symlink)
    {
        if (!rootless && preserveOwners)
        {
            CheckOwner(Syscalls.ChangeOwnerAt(parent, name, (uint)metadata.Uid, (uint)metadata.Gid, Syscalls.AtSymlinkNoFollow), metadata, place);
        }
        // lsetxattr through the parent's /proc/self/fd link: the parent is the directory we hold,
        // and the l- form does not follow the last part.
        var path = $"/proc/self/fd/{parent}/{name}";
        foreach (var (attribute, value) in XattrsFor(metadata, place, symlink))
        {
            fixed (byte* bytes = value)
            {
                SetXattr(Syscalls.SetAttributeOfPath(path, attribute, bytes, (nuint)value.Length, 0), attribute, place);
            }
        }
        if (!symlink) Modes.Set(parent, name, metadata.Mode, place.Display);
        var times = stackalloc Syscalls.Timespec[] { metadata.AccessTime, metadata.ModificationTime };
        Syscalls.Check(Syscalls.SetTimesAt(parent, name, times, Syscalls.AtSymlinkNoFollow), "set the times of", place.Display);
    }

    /// <summary>A directory's mode and times, which an unpack sets last (see <see cref="DeferredDirectories"/>).</summary>
    public static void SetModeAndTimes(int fd, uint mode, Syscalls.Timespec access, Syscalls.Timespec modification, string display)
    {
        Syscalls.Check(Syscalls.ChangeMode(fd, mode), "change the mode of", display);
        var times = stackalloc Syscalls.Timespec[] { access, modification };
        Syscalls.Check(Syscalls.SetTimes(fd, times), "set the times of", display);
    }

    /// <summary>The attributes to set: the layer's, less the host's own, plus the owner when rootless.</summary>
    private IEnumerable<(string Name, byte[] Value)> XattrsFor(EntryMetadata metadata, EntryPlace place, bool symlink)
    {
        foreach (var (name, value) in metadata.Xattrs)
        {
            if (s_hostOnly.Contains(name))
            {
                tally.Skip(place.Layer, place.Path, SkipReason.ExtendedAttribute, name);
                continue;
            }
            // A layer cannot choose the owner a rootless unpack records; umoci drops it too.
            if (rootless && name == RootlessOwner.AttributeName) continue;
            yield return (name, value);
        }
        // Linux allows no user.* attribute on a symlink; umoci's attempt fails and is ignored.
        if (rootless && preserveOwners && !symlink && RootlessOwner.Encode(metadata.Uid, metadata.Gid) is { } owner)
        {
            yield return (RootlessOwner.AttributeName, owner);
        }
    }

    private void SetXattr(int result, string name, EntryPlace place)
    {
        if (result == 0) return;
        var errno = Syscalls.LastError;
        if (errno == Syscalls.NotSupported || (rootless && errno == Syscalls.NotPermitted))
        {
            tally.Skip(place.Layer, place.Path, SkipReason.ExtendedAttribute, name);
            return;
        }
        throw Syscalls.Error(errno, $"set extended attribute {name} on", place.Display);
    }

    private static void CheckOwner(int result, EntryMetadata metadata, EntryPlace place)
    {
        if (result == 0) return;
        var errno = Syscalls.LastError;
        var hint = errno is Syscalls.NotPermitted or Syscalls.InvalidArgument ? " (owners need root; unpack rootless to keep them in user.rootlesscontainers)" : "";
        throw new IOException($"{Syscalls.Error(errno, $"give owner {metadata.Uid}:{metadata.Gid} to", place.Display).Message}{hint}", errno);
    }

    /// <summary>Removes the attributes an existing directory had, so that it ends with exactly its new entry's (as umoci does).</summary>
    private static void ClearXattrs(int fd, EntryPlace place)
    {
        var size = Syscalls.ListAttributes(fd, null, 0);
        if (size <= 0) return;
        var buffer = new byte[size];
        fixed (byte* list = buffer)
        {
            size = Syscalls.ListAttributes(fd, list, (nuint)buffer.Length);
        }
        if (size < 0) throw Syscalls.Error(Syscalls.LastError, "list extended attributes of", place.Display);
        foreach (var name in Encoding.UTF8.GetString(buffer, 0, (int)size).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            if (s_hostOnly.Contains(name)) continue;
            if (Syscalls.RemoveAttribute(fd, name) != 0 && Syscalls.LastError is not (Syscalls.NoData or Syscalls.NotPermitted))
            {
                throw Syscalls.Error(Syscalls.LastError, $"remove extended attribute {name} of", place.Display);
            }
        }
    }
}
