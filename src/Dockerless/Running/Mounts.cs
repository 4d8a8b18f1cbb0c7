using System.Runtime.InteropServices;
using System.Text;

namespace Dockerless.Running;

/// <summary>The host's mounts a run makes and must take away again (the root filesystem's overlay).</summary>
internal static partial class Mounts
{
    private const int Detach = 2;

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Unmount(string target, int flags);

    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MountFileSystem(string source, string target, string type, ulong flags, string data);

    /// <summary>Mounts an overlay at <paramref name="target"/>; the errno on failure, 0 on success.</summary>
    public static int MountOverlay(string target, string options)
        => MountFileSystem("overlay", target, "overlay", 0, options) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>The mount points at or below <paramref name="directory"/>, deepest first, from /proc/self/mountinfo.</summary>
    public static List<string> Under(string directory)
    {
        var prefix = directory.TrimEnd('/') + "/";
        var found = new List<string>();
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            var fields = line.Split(' ');
            if (fields.Length < 5) continue;
            var point = Unescape(fields[4]);
            if (point == directory.TrimEnd('/') || point.StartsWith(prefix, StringComparison.Ordinal)) found.Add(point);
        }
        return [.. found.Distinct(StringComparer.Ordinal).OrderByDescending(p => p.Length)];
    }

    /// <summary>
    /// Detaches every mount at or below <paramref name="directory"/> (lazily: a process still
    /// inside keeps it until it leaves). A FUSE mount of a rootless run is left to fusermount3.
    /// </summary>
    public static void UnmountUnder(string directory)
    {
        foreach (var point in Under(directory))
        {
            if (Unmount(point, Detach) == 0) continue;
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Unpacking.Syscalls.NotPermitted && FuseUnmount(point)) continue;
            if (errno != Unpacking.Syscalls.InvalidArgument) throw Unpacking.Syscalls.Error(errno, "unmount", point);
        }
    }

    private static bool FuseUnmount(string point)
    {
        foreach (var program in new[] { "/usr/bin/fusermount3", "/bin/fusermount3", "/usr/bin/fusermount", "/bin/fusermount" })
        {
            if (!File.Exists(program)) continue;
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(program) { ArgumentList = { "-u", "-z", point }, UseShellExecute = false });
            process?.WaitForExit();
            return process?.ExitCode == 0;
        }
        return false;
    }

    /// <summary>mountinfo writes space, tab, newline and backslash in octal (<c>\040</c>).</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal)) return field;
        var bytes = new List<byte>();
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && IsOctal(field[i + 1]) && IsOctal(field[i + 2]) && IsOctal(field[i + 3]))
            {
                bytes.Add(Convert.ToByte(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(field[i].ToString()));
            }
        }
        return Encoding.UTF8.GetString([.. bytes]);
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';
}
