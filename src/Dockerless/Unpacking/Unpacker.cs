namespace Dockerless.Unpacking;

/// <summary>
/// Writes an image's root filesystem into a directory by applying its layers in order, lowest
/// first, each read once as a stream (see <see cref="LayerApplier"/>): the way umoci, containerd
/// and docker build a rootfs, so a file a later layer writes through a symlink an earlier layer
/// planted (<c>bin -> usr/bin</c>) lands where theirs does. The directory must be new or empty;
/// on any failure (or cancellation) what was written is removed, and a directory this call made
/// is removed too.
/// </summary>
internal static class Unpacker
{
    private const int CurrentDirectory = -100;

    public static async Task<UnpackResult> UnpackAsync(IReadOnlyList<Layer> layers, string directory, UnpackOptions options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(options);
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("unpacking an image needs Linux (it makes device nodes, extended attributes and symlink-safe lookups)");
        var root = Syscalls.EffectiveUserId() == 0;
        if (options.Rootless == RootlessMode.Never && !root)
        {
            throw new InvalidOperationException("an unpack with RootlessMode.Never needs root: owners and device nodes cannot be made otherwise");
        }
        var rootless = options.Rootless == RootlessMode.Always || (options.Rootless == RootlessMode.Auto && !root);
        var path = Path.GetFullPath(directory);
        if (path.Length > 1) path = path.TrimEnd('/');
        var created = Prepare(path);
        FileDescriptor? descriptor = null;
        try
        {
            descriptor = FileDescriptor.Open(CurrentDirectory, path, Syscalls.ReadOnly | Syscalls.Directory, path);
            var tally = new UnpackTally();
            using (var target = new UnpackTarget(descriptor.Value, path, rootless, options, tally))
            {
                target.Directories.SetDefault("");
                foreach (var layer in layers)
                {
                    await LayerApplier.ApplyAsync(target, layer, cancellationToken).ConfigureAwait(false);
                    tally.Layers++;
                }
                target.Finish();
            }
            return tally.ToResult(path, rootless);
        }
        catch
        {
            RemovePartialTree(path, descriptor, created);
            throw;
        }
        finally
        {
            descriptor?.Dispose();
        }
    }

    /// <summary>Makes the directory, or accepts an empty one; true when this call made it.</summary>
    private static bool Prepare(string path)
    {
        if (Syscalls.MakeDirectoryAt(CurrentDirectory, path, 0x1C0) == 0) return true;
        var errno = Syscalls.LastError;
        if (errno == Syscalls.NoEntry) throw new DirectoryNotFoundException($"{path}: cannot make the directory: its parent does not exist");
        if (errno != Syscalls.Exists) throw Syscalls.Error(errno, "make directory", path);
        if (!Directory.Exists(path)) throw new IOException($"{path}: exists and is not a directory; unpack writes into a new or empty directory");
        if (Directory.EnumerateFileSystemEntries(path).Any()) throw new IOException($"{path}: is not empty; unpack writes into a new or empty directory");
        return false;
    }

    /// <summary>After a failure: removes the directory this call made, or empties the one it was given. Best effort: the first error is the one that matters.</summary>
    private static void RemovePartialTree(string path, FileDescriptor? root, bool created)
    {
        try
        {
            if (created)
            {
                using var parent = FileDescriptor.Open(CurrentDirectory, Path.GetDirectoryName(path) ?? "/", Syscalls.Path | Syscalls.Directory, path);
                TreeRemover.Remove(parent.Value, Path.GetFileName(path), path);
            }
            else if (root is not null)
            {
                TreeRemover.RemoveChildren(root.Value, path, keep: null);
            }
        }
        catch (IOException)
        {
            // Left for the caller to see; the original error is rethrown.
        }
    }
}
