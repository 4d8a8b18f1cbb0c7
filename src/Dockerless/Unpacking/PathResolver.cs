using System.Text;
using Dockerless.Layers;

namespace Dockerless.Unpacking;

/// <summary>A directory of the tree, open, with its path from the root after every symlink was followed.</summary>
internal sealed class ResolvedDirectory(FileDescriptor descriptor, string realPath) : IDisposable
{
    public int Fd => descriptor.Value;

    /// <summary>The path from the root with no symlink left in it ("" for the root).</summary>
    public string RealPath { get; } = realPath;

    public void Dispose() => descriptor.Dispose();
}

/// <summary>
/// Opens directories of the tree by their path in the image, following symlinks the way the
/// container will: as if the root were <c>/</c>, so an absolute link or a <c>..</c> that climbs
/// stops at the root and nothing outside it is ever reached (what docker does by chroot and umoci
/// and containerd by securejoin). Where the kernel has openat2(2), RESOLVE_IN_ROOT does it in one
/// call; otherwise, and whenever a directory is missing and must be made, a walk does it one
/// component at a time, opening each with O_NOFOLLOW relative to the directory before it and
/// reading any symlink itself. Both give the same directory; tests run both.
/// </summary>
internal sealed class PathResolver
{
    /// <summary>The kernel's own bound on symlinks met in one lookup.</summary>
    private const int MaxSymlinks = 40;

    /// <summary>
    /// Paths no longer than PATH_MAX (as the kernel, umoci and docker handle them), which also
    /// bounds how deep the tree gets and so the descriptors a walk or a removal holds.
    /// </summary>
    public const int MaxPathBytes = 4096;

    private readonly int _root;
    private readonly string _display;
    private readonly string? _rootHostPath;
    private bool _openat2;

    /// <param name="root">The root directory's descriptor (not owned).</param>
    /// <param name="display">The root's path, for messages.</param>
    /// <param name="useOpenat2">Whether to try openat2(2) before the walk.</param>
    public PathResolver(int root, string display, bool useOpenat2)
    {
        _root = root;
        _display = display;
        _rootHostPath = useOpenat2 ? HostPathOf(root) : null;
        _openat2 = _rootHostPath is not null;
    }

    /// <summary>Whether openat2(2) is being used (false after the kernel refused it).</summary>
    public bool UsesOpenat2 => _openat2;

    /// <summary>The root's path joined with <paramref name="path"/>, for messages.</summary>
    public string Display(string path) => path.Length == 0 ? _display : $"{_display}/{path}";

    /// <summary>
    /// Opens the directory at <paramref name="path"/> (normalised). A missing directory is made
    /// (mode 0700 until the unpack ends; <paramref name="created"/> is told its real path) when
    /// <paramref name="create"/> is set, else the result is null. A part that is neither a
    /// directory nor a symlink, a symlink loop or a path too long throws <see cref="IOException"/>.
    /// </summary>
    public ResolvedDirectory? Open(string path, bool create, Action<string>? created = null)
    {
        if (_openat2 && TryOpenat2(path) is { } found) return found;
        return Walk(path, create, created);
    }

    /// <summary>openat2 with RESOLVE_IN_ROOT; null when the walk must decide (missing parts, errors, an old kernel).</summary>
    private ResolvedDirectory? TryOpenat2(string path)
    {
        var how = new Syscalls.OpenHow
        {
            Flags = (ulong)(Syscalls.Path | Syscalls.Directory | Syscalls.CloseOnExec),
            Resolve = Syscalls.ResolveInRoot | Syscalls.ResolveNoMagicLinks,
        };
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var fd = Syscalls.OpenAt2(_root, path.Length == 0 ? "." : path, how);
            if (fd >= 0)
            {
                var descriptor = new FileDescriptor(fd);
                var real = RelativeToRoot(HostPathOf(fd));
                if (real is not null) return new ResolvedDirectory(descriptor, real);
                descriptor.Dispose();
                return null;
            }
            switch (Syscalls.LastError)
            {
                // A rename raced the lookup: the kernel asks to try again.
                case Syscalls.TryAgain or Syscalls.Interrupted:
                    continue;
                // No openat2 (before Linux 5.6), or a seccomp filter that refuses it.
                case Syscalls.NotImplemented or Syscalls.NotPermitted or Syscalls.InvalidArgument or Syscalls.TooBig:
                    _openat2 = false;
                    return null;
                default:
                    return null;
            }
        }
        return null;
    }

    /// <summary>The real path of a directory the kernel found, from the root; null when it cannot be told.</summary>
    private string? RelativeToRoot(string? hostPath)
    {
        if (hostPath is null || _rootHostPath is null) return null;
        if (hostPath == _rootHostPath) return "";
        var prefix = _rootHostPath == "/" ? "/" : _rootHostPath + "/";
        return hostPath.StartsWith(prefix, StringComparison.Ordinal) ? hostPath[prefix.Length..] : null;
    }

    /// <summary>What /proc says a descriptor is; null where /proc is not mounted.</summary>
    private static string? HostPathOf(int fd)
    {
        Span<byte> buffer = stackalloc byte[MaxPathBytes + 1];
        var length = LinuxNativeMethods.ReadLink($"/proc/self/fd/{fd}", buffer, (nuint)buffer.Length);
        return length <= 0 || length > MaxPathBytes ? null : Encoding.UTF8.GetString(buffer[..(int)length]);
    }

    /// <summary>The component walk: the same lookup as RESOLVE_IN_ROOT, done by hand, making missing directories on the way.</summary>
    private ResolvedDirectory? Walk(string path, bool create, Action<string>? created)
    {
        var pending = new Stack<string>();
        PushParts(pending, path);
        var chain = new List<(FileDescriptor Fd, string Name)>();
        var links = 0;
        try
        {
            while (pending.TryPop(out var part))
            {
                if (part.Length == 0 || part == ".") continue;
                if (part == "..")
                {
                    // ".." of the root is the root, as in RESOLVE_IN_ROOT and chroot.
                    if (chain.Count > 0) Pop(chain);
                    continue;
                }
                var current = chain.Count == 0 ? _root : chain[^1].Fd.Value;
                var display = Display(RealPath(chain, part));
                var next = FileDescriptor.TryOpen(current, part, Syscalls.Path | Syscalls.NoFollow, out var errno);
                if (next is null && errno == Syscalls.NoEntry)
                {
                    if (!create) return null;
                    if (Syscalls.MakeDirectoryAt(current, part, 0x1C0) != 0 && Syscalls.LastError != Syscalls.Exists)
                    {
                        throw Syscalls.Error(Syscalls.LastError, "make directory", display);
                    }
                    created?.Invoke(RealPath(chain, part));
                    next = FileDescriptor.TryOpen(current, part, Syscalls.Path | Syscalls.NoFollow, out errno);
                }
                if (next is null) throw Syscalls.Error(errno, "open", display);
                switch (NodeKinds.Of(next.Value, "", display))
                {
                    case HostFileKind.Directory:
                        chain.Add((next, part));
                        if (Encoding.UTF8.GetByteCount(RealPath(chain, null)) > MaxPathBytes) throw Syscalls.Error(Syscalls.NameTooLong, "open", display);
                        break;
                    case HostFileKind.SymbolicLink:
                        next.Dispose();
                        if (++links > MaxSymlinks) throw Syscalls.Error(Syscalls.Loop, "open", display);
                        var target = ReadLink(current, part, display);
                        if (target.StartsWith('/'))
                        {
                            while (chain.Count > 0) Pop(chain);
                        }
                        PushParts(pending, target);
                        break;
                    default:
                        next.Dispose();
                        throw Syscalls.Error(Syscalls.NotDirectory, "open", display);
                }
            }
            var fd = chain.Count == 0
                ? FileDescriptor.Open(_root, ".", Syscalls.Path | Syscalls.Directory, _display)
                : new FileDescriptor(chain[^1].Fd.Release());
            return new ResolvedDirectory(fd, RealPath(chain, null));
        }
        finally
        {
            foreach (var (fd, _) in chain) fd.Dispose();
        }
    }

    private static void Pop(List<(FileDescriptor Fd, string Name)> chain)
    {
        chain[^1].Fd.Dispose();
        chain.RemoveAt(chain.Count - 1);
    }

    private static string RealPath(List<(FileDescriptor Fd, string Name)> chain, string? last)
    {
        var parts = chain.Select(c => c.Name);
        return string.Join('/', last is null ? parts : parts.Append(last));
    }

    /// <summary>Pushes the parts of <paramref name="path"/> so that the first is popped first.</summary>
    private static void PushParts(Stack<string> pending, string path)
    {
        var parts = path.Split('/');
        for (var i = parts.Length - 1; i >= 0; i--) pending.Push(parts[i]);
    }

    private static unsafe string ReadLink(int directory, string name, string display)
    {
        var buffer = new byte[MaxPathBytes + 1];
        fixed (byte* bytes = buffer)
        {
            var length = Syscalls.ReadLinkAt(directory, name, bytes, (nuint)buffer.Length);
            if (length < 0) throw Syscalls.Error(Syscalls.LastError, "read link", display);
            if (length > MaxPathBytes) throw Syscalls.Error(Syscalls.NameTooLong, "read link", display);
            return Encoding.UTF8.GetString(buffer, 0, (int)length);
        }
    }
}
