using System.Text;
using Dockerless.Layers;
using Microsoft.Win32.SafeHandles;

namespace Dockerless.Running;

/// <summary>
/// A container's root filesystem, open, read and prepared before the container starts. Every
/// path is looked up as if the directory were <c>/</c> (see <see cref="PathResolver"/>): the
/// image's own symlinks (<c>/etc/passwd -> /host/...</c>, <c>/data -> ../../..</c>) never lead out of it.
/// </summary>
internal sealed class RootDirectory : IDisposable
{
    private const int MaxSymlinks = 40;
    private const int MaxFileBytes = 4 << 20;

    private readonly FileDescriptor _root;
    private readonly PathResolver _resolver;

    private RootDirectory(string path, FileDescriptor root)
    {
        Path = path;
        _root = root;
        _resolver = new PathResolver(root.Value, path, useOpenat2: true);
    }

    /// <summary>The directory's absolute path on the host.</summary>
    public string Path { get; }

    public static RootDirectory Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path).TrimEnd('/');
        if (full.Length == 0) full = "/";
        if (!Directory.Exists(full)) throw new DirectoryNotFoundException($"{full}: the root filesystem directory does not exist");
        return new RootDirectory(full, FileDescriptor.Open(-100, full, Syscalls.ReadOnly | Syscalls.Directory, full));
    }

    /// <summary>The text of the regular file at <paramref name="path"/> (in the image), or null when there is none.</summary>
    public string? ReadText(string path)
    {
        var current = path.Trim('/');
        for (var links = 0; links <= MaxSymlinks; links++)
        {
            using var parent = _resolver.Open(TarPath.Parent(current), create: false);
            if (parent is null) return null;
            var name = TarPath.Name(current);
            var file = FileDescriptor.TryOpen(parent.Fd, name, Syscalls.ReadOnly | Syscalls.NoFollow, out var errno);
            if (file is not null)
            {
                using (file) return ReadAll(file.Value, _resolver.Display(current));
            }
            if (errno != Syscalls.Loop) return errno is Syscalls.NoEntry or Syscalls.NotDirectory ? null : throw Syscalls.Error(errno, "open", _resolver.Display(current));
            var target = ReadLink(parent.Fd, name, _resolver.Display(current));
            current = target.StartsWith('/') ? target.Trim('/') : TarPath.Join(parent.RealPath, target);
        }
        throw Syscalls.Error(Syscalls.Loop, "open", _resolver.Display(path.Trim('/')));
    }

    /// <summary>
    /// The host path of the directory at <paramref name="path"/> (in the image), made (0755, as
    /// docker makes a volume's mount point) with any missing parent when absent.
    /// </summary>
    public string MakeDirectory(string path)
    {
        var made = new List<string>();
        using var directory = _resolver.Open(path.Trim('/'), create: true, made.Add)!;
        foreach (var real in made) Syscalls.Check(Syscalls.ChangeModeOfPath(HostPath(real), 0x1ED), "change mode", HostPath(real));
        return HostPath(directory.RealPath);
    }

    private string HostPath(string real) => real.Length == 0 ? Path : $"{Path.TrimEnd('/')}/{real}";

    private static string ReadAll(int fd, string display)
    {
        using var handle = new SafeFileHandle(fd, ownsHandle: false);
        var length = RandomAccess.GetLength(handle);
        if (length > MaxFileBytes) throw new IOException($"{display}: larger than {MaxFileBytes} bytes");
        var buffer = new byte[length];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = RandomAccess.Read(handle, buffer.AsSpan(read), read);
            if (n == 0) break;
            read += n;
        }
        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    private static unsafe string ReadLink(int directory, string name, string display)
    {
        var buffer = new byte[PathResolver.MaxPathBytes + 1];
        fixed (byte* bytes = buffer)
        {
            var length = Syscalls.ReadLinkAt(directory, name, bytes, (nuint)buffer.Length);
            if (length < 0) throw Syscalls.Error(Syscalls.LastError, "read link", display);
            return Encoding.UTF8.GetString(buffer, 0, (int)Math.Min(length, PathResolver.MaxPathBytes));
        }
    }

    public void Dispose() => _root.Dispose();
}
