using System.Buffers;
using System.Formats.Tar;
using Dockerless.Layers;
using Microsoft.Win32.SafeHandles;

namespace Dockerless.Unpacking;

/// <summary>
/// Applies one layer to the tree, entry by entry as the tar streams by, the way umoci and
/// containerd apply a layer: an entry replaces whatever is at its path (a directory over a
/// directory keeps what it holds and takes the new metadata), a whiteout deletes its target,
/// an opaque marker empties its directory, a hard link links to what its target is now. A
/// whiteout never deletes what this same layer wrote: the real paths it wrote (and their
/// ancestors) are remembered for the length of the layer, as umoci's upper paths are. Entries
/// are checked by <see cref="LayerTarReader"/> first; every lookup goes through
/// <see cref="PathResolver"/>, so a symlink a layer planted resolves inside the root.
/// </summary>
internal sealed class LayerApplier
{
    private const int CopyBufferSize = 128 * 1024;
    private const uint CreatingMode = 0x180;
    private const uint CharacterDeviceType = 0x2000;
    private const uint BlockDeviceType = 0x6000;
    private const uint FifoType = 0x1000;

    private readonly UnpackTarget _target;
    private readonly LayerTarReader _reader;
    // A tree of path components, not a set of full paths: a path at depth N costs one node, not N
    // spelled-out ancestors, so a million entries or a deep chain stay bounded by the entries.
    private readonly PathTree _upper = new();

    private LayerApplier(UnpackTarget target, LayerTarReader reader)
    {
        _target = target;
        _reader = reader;
    }

    private string Layer => _reader.Layer;

    /// <summary>Reads <paramref name="layer"/> once, start to end, applying each entry as it comes.</summary>
    public static async Task ApplyAsync(UnpackTarget target, Layer layer, CancellationToken cancellationToken)
    {
        var name = layer.Digest.ToString();
        var reader = new LayerTarReader(await layer.OpenUncompressedAsync(cancellationToken).ConfigureAwait(false), name, keepRoot: true);
        await using (reader.ConfigureAwait(false))
        {
            var applier = new LayerApplier(target, reader);
            while (await reader.NextAsync(cancellationToken).ConfigureAwait(false) is { } entry)
            {
                await applier.ApplyAsync(entry, cancellationToken).ConfigureAwait(false);
            }
            await reader.FinishAsync(cancellationToken).ConfigureAwait(false);
        }
        target.ForgetCachedParent();
    }

    private async Task ApplyAsync(LayerTarEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            var format = _target.Options.Whiteouts;
            // Kept as files, a whiteout is just the empty file the layer holds.
            var (isOpaque, whitedOut) = format == WhiteoutFormat.Files ? (false, null) : Whiteouts.Parse(entry.Path);
            if (whitedOut is not null && format == WhiteoutFormat.Overlay) KeepOverlayWhiteout(entry, isOpaque ? whitedOut : CheckedWhiteoutTarget(entry, whitedOut), isOpaque);
            else if (isOpaque) Whiteout(whitedOut!, opaque: true);
            else if (whitedOut is not null) Whiteout(CheckedWhiteoutTarget(entry, whitedOut), opaque: false);
            else if (entry.Path.Length == 0) ApplyRoot(entry);
            else await ApplyNodeAsync(entry, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
        {
            throw _reader.Corrupt(e);
        }
        catch (IOException e) when (e.HResult is Syscalls.NotDirectory or Syscalls.Loop or Syscalls.NameTooLong)
        {
            // A parent that is a file, symlinks that loop, a path past PATH_MAX: the layer's doing.
            throw new InvalidLayerException(Layer, entry.Entry.Name, e.Message, e);
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw new IOException($"layer {Layer}: entry \"{entry.Entry.Name}\": {e.Message}", e.HResult);
        }
    }

    private string CheckedWhiteoutTarget(LayerTarEntry entry, string target)
    {
        var name = TarPath.Name(target);
        if (name is "" or "." or "..") throw new InvalidLayerException(Layer, entry.Entry.Name, "a whiteout that names nothing");
        return target;
    }

    private void ApplyRoot(LayerTarEntry entry)
    {
        var metadata = EntryMetadata.Of(entry.Entry, _reader.PaxRecords.Span);
        _target.Metadata.ApplyToOpenNode(_target.Root, metadata, Place(""), clearXattrs: true, modeAndTimes: false);
        _target.Directories.Set("", metadata);
        _target.Tally.Directories++;
    }

    private async Task ApplyNodeAsync(LayerTarEntry entry, CancellationToken cancellationToken)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(entry.Path) > PathResolver.MaxPathBytes)
        {
            throw new InvalidLayerException(Layer, entry.Entry.Name, $"a path longer than {PathResolver.MaxPathBytes} bytes");
        }
        var parent = _target.OpenParent(TarPath.Parent(entry.Path));
        var name = TarPath.Name(entry.Path);
        var realPath = TarPath.Join(parent.RealPath, name);
        var place = Place(realPath);
        var existing = NodeKinds.Of(parent.Fd, name, place.Display);
        var type = entry.Entry.EntryType;
        if (existing is { } kind && !(kind == HostFileKind.Directory && type == TarEntryType.Directory))
        {
            TreeRemover.Remove(parent.Fd, name, place.Display);
            _target.Directories.Forget(realPath);
            existing = null;
        }
        var metadata = EntryMetadata.Of(entry.Entry, _reader.PaxRecords.Span);
        switch (type)
        {
            case TarEntryType.Directory:
                MakeDirectory(parent, name, metadata, place, exists: existing is not null);
                break;
            case TarEntryType.SymbolicLink:
                Syscalls.Check(Syscalls.SymlinkAt(entry.Entry.LinkName, parent.Fd, name), "make symlink", place.Display);
                _target.Metadata.ApplyAt(parent.Fd, name, metadata, place, symlink: true);
                _target.Tally.SymbolicLinks++;
                break;
            case TarEntryType.HardLink:
                Link(entry, parent, name, place);
                break;
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                if (!MakeSpecialFile(entry, parent, name, metadata, place)) return;
                break;
            default:
                await WriteFileAsync(entry, parent, name, metadata, place, cancellationToken).ConfigureAwait(false);
                break;
        }
        _upper.Add(realPath);
    }

    private void MakeDirectory(ResolvedDirectory parent, string name, EntryMetadata metadata, EntryPlace place, bool exists)
    {
        if (!exists) Syscalls.Check(Syscalls.MakeDirectoryAt(parent.Fd, name, 0x1C0), "make directory", place.Display);
        using var directory = FileDescriptor.Open(parent.Fd, name, Syscalls.ReadOnly | Syscalls.Directory | Syscalls.NoFollow, place.Display);
        _target.Metadata.ApplyToOpenNode(directory.Value, metadata, place, clearXattrs: exists, modeAndTimes: false);
        _target.Directories.Set(place.Path, metadata);
        _target.Tally.Directories++;
    }

    /// <summary>A hard link to what its target is now, found inside the root like any path; no metadata of its own (it shares its target's).</summary>
    private void Link(LayerTarEntry entry, ResolvedDirectory parent, string name, EntryPlace place)
    {
        var target = entry.LinkTarget!;
        using var targetParent = _target.Resolver.Open(TarPath.Parent(target), create: false);
        var result = targetParent is null ? -1 : Syscalls.LinkAt(targetParent.Fd, TarPath.Name(target), parent.Fd, name, 0);
        if (result == 0)
        {
            _target.Tally.HardLinks++;
            return;
        }
        var errno = targetParent is null ? Syscalls.NoEntry : Syscalls.LastError;
        var problem = errno switch
        {
            Syscalls.NoEntry => $"hard link target \"{target}\" does not exist in this layer or the layers below",
            Syscalls.NotPermitted when NodeKinds.Of(targetParent!.Fd, TarPath.Name(target), place.Display) == HostFileKind.Directory => $"hard link to directory \"{target}\"",
            _ => null,
        };
        if (problem is not null) throw new InvalidLayerException(Layer, entry.Entry.Name, problem);
        throw Syscalls.Error(errno, $"link to {target} as", place.Display);
    }

    /// <summary>A fifo, or a device node when allowed; false when the node was skipped (and reported).</summary>
    private bool MakeSpecialFile(LayerTarEntry entry, ResolvedDirectory parent, string name, EntryMetadata metadata, EntryPlace place)
    {
        var posix = entry.Entry as PosixTarEntry;
        var (major, minor) = (posix?.DeviceMajor ?? 0, posix?.DeviceMinor ?? 0);
        var type = entry.Entry.EntryType switch
        {
            TarEntryType.CharacterDevice => CharacterDeviceType,
            TarEntryType.BlockDevice => BlockDeviceType,
            _ => FifoType,
        };
        var detail = $"{(type == CharacterDeviceType ? "char" : "block")} {major}:{minor}";
        var policy = _target.Options.DeviceNodes;
        if (type != FifoType && (policy == DeviceNodePolicy.Skip || (policy == DeviceNodePolicy.Auto && _target.Rootless)))
        {
            _target.Tally.Skip(Layer, place.Path, SkipReason.DeviceNode, detail);
            return false;
        }
        if (Syscalls.MakeNodeAt(parent.Fd, name, type | CreatingMode, MakeDevice((uint)major, (uint)minor)) != 0)
        {
            var errno = Syscalls.LastError;
            if (type != FifoType && policy == DeviceNodePolicy.Auto && errno == Syscalls.NotPermitted)
            {
                _target.Tally.Skip(Layer, place.Path, SkipReason.DeviceNode, detail);
                return false;
            }
            throw Syscalls.Error(errno, "make node", place.Display);
        }
        _target.Metadata.ApplyAt(parent.Fd, name, metadata, place, symlink: false);
        _target.Tally.SpecialFiles++;
        return true;
    }

    /// <summary>glibc's makedev(3).</summary>
    private static ulong MakeDevice(uint major, uint minor)
        => ((ulong)(major & 0xFFFFF000) << 32) | ((ulong)(major & 0xFFF) << 8) | ((ulong)(minor & 0xFFFFFF00) << 12) | (minor & 0xFF);

    /// <summary>
    /// A new regular file, made with O_CREAT|O_EXCL|O_NOFOLLOW in its parent's descriptor (a symlink
    /// put there cannot redirect it), its bytes streamed from the tar, then its metadata.
    /// </summary>
    private async Task WriteFileAsync(LayerTarEntry entry, ResolvedDirectory parent, string name, EntryMetadata metadata, EntryPlace place, CancellationToken cancellationToken)
    {
        using var file = FileDescriptor.Open(parent.Fd, name, Syscalls.WriteOnly | Syscalls.Create | Syscalls.Exclusive | Syscalls.NoFollow, place.Display, CreatingMode);
        await CopyAsync(entry.Entry.DataStream, file.Value, entry.Entry.Length, cancellationToken).ConfigureAwait(false);
        _target.Metadata.ApplyToOpenNode(file.Value, metadata, place, clearXattrs: false, modeAndTimes: true);
        _target.Tally.Files++;
    }

    private static async Task CopyAsync(Stream? data, int fd, long length, CancellationToken cancellationToken)
    {
        if (length == 0) return;
        if (data is null) throw new EndOfStreamException($"the entry announces {length} bytes and has none");
        using var handle = new SafeFileHandle(fd, ownsHandle: false);
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            for (long offset = 0; offset < length;)
            {
                var read = await data.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - offset)), cancellationToken).ConfigureAwait(false);
                if (read == 0) throw new EndOfStreamException($"the entry's data ends after {offset} of {length} bytes");
                RandomAccess.Write(handle, buffer.AsSpan(0, read), offset);
                offset += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Deletes <paramref name="target"/> (or, opaque, what the directory holds) from the layers
    /// below: what this layer wrote stays. The directory is found inside the root like any path;
    /// a missing one, or one behind a file, means there is nothing to delete.
    /// </summary>
    private void Whiteout(string target, bool opaque)
    {
        _target.ForgetCachedParent();
        _target.Tally.Whiteouts++;
        var directoryPath = opaque ? target : TarPath.Parent(target);
        ResolvedDirectory? directory;
        try
        {
            directory = _target.Resolver.Open(directoryPath, create: false);
        }
        catch (IOException e) when (e.HResult == Syscalls.NotDirectory)
        {
            return;
        }
        if (directory is null) return;
        using (directory)
        {
            if (opaque)
            {
                Prune(directory.Fd, directory.RealPath);
                return;
            }
            var name = TarPath.Name(target);
            var realPath = TarPath.Join(directory.RealPath, name);
            var display = _target.Resolver.Display(realPath);
            var kind = NodeKinds.Of(directory.Fd, name, display);
            if (kind is null) return;
            if (_upper.Find(realPath) is null)
            {
                TreeRemover.Remove(directory.Fd, name, display);
                _target.Directories.Forget(realPath);
            }
            else if (kind == HostFileKind.Directory)
            {
                using var written = TreeRemover.OpenForListing(directory.Fd, name, display);
                if (written is not null) Prune(written.Value, realPath);
            }
        }
    }

    /// <summary>
    /// An overlayfs whiteout in this layer's own directory: a 0:0 character device in place of the
    /// name (unless this layer wrote something there), or the directory marked opaque when the
    /// unpack ends (a directory entry after the marker would clear the attribute).
    /// </summary>
    private void KeepOverlayWhiteout(LayerTarEntry entry, string target, bool opaque)
    {
        _target.Tally.Whiteouts++;
        if (opaque)
        {
            using var directory = _target.Resolver.Open(target, create: true, _target.Directories.SetDefault)!;
            _target.OpaqueDirectories.Add(directory.RealPath);
            _upper.Add(directory.RealPath);
            return;
        }
        var parent = _target.OpenParent(TarPath.Parent(target));
        var name = TarPath.Name(target);
        var place = Place(TarPath.Join(parent.RealPath, name));
        if (_upper.Find(place.Path) is not null) return;
        if (NodeKinds.Of(parent.Fd, name, place.Display) is not null) TreeRemover.Remove(parent.Fd, name, place.Display);
        if (Syscalls.MakeNodeAt(parent.Fd, name, CharacterDeviceType, 0) != 0)
        {
            throw Syscalls.Error(Syscalls.LastError, $"make the overlay whiteout of \"{entry.Entry.Name}\" at", place.Display);
        }
    }

    /// <summary>Removes from a directory every child this layer did not write, and recurses into those it did.</summary>
    private void Prune(int directory, string realPath)
    {
        var display = _target.Resolver.Display(realPath);
        foreach (var name in TreeRemover.List(directory, display))
        {
            var child = TarPath.Join(realPath, name);
            var childDisplay = _target.Resolver.Display(child);
            if (_upper.Find(child) is null)
            {
                TreeRemover.Remove(directory, name, childDisplay);
                _target.Directories.Forget(child);
                continue;
            }
            if (NodeKinds.Of(directory, name, childDisplay) != HostFileKind.Directory) continue;
            using var written = TreeRemover.OpenForListing(directory, name, childDisplay);
            if (written is not null) Prune(written.Value, child);
        }
    }

    private EntryPlace Place(string realPath) => new(Layer, realPath, _target.Resolver.Display(realPath));
}
