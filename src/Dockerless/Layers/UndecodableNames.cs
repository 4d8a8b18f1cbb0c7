using System.Text.Unicode;

namespace Dockerless.Layers;

/// <summary>
/// Host names that are not valid UTF-8. Linux allows any bytes in a name but <c>/</c> and NUL;
/// .NET decodes a directory listing as UTF-8, turning each invalid sequence into U+FFFD, which
/// encodes back to other bytes (EF BF BD). The name it lists then leads to no file, and the
/// system's "no such file" would be a lie about a file that is there.
/// </summary>
internal static class UndecodableNames
{
    /// <summary>
    /// The error for <paramref name="path"/>, which the system did not find, when a part of it
    /// (itself or a directory above it) is a name .NET listed but cannot reach; null when the
    /// path is simply missing.
    /// </summary>
    public static IOException? ErrorFor(string path, Func<string, bool> exists)
    {
        for (var mark = path.IndexOf('\uFFFD'); mark >= 0;)
        {
            var end = path.IndexOf('/', mark);
            var part = end < 0 ? path : path[..end];
            if (!exists(part) && IsListed(part))
            {
                var whose = part == path ? "its name" : $"the name of {part}";
                return new IOException($"{path}: cannot read: {whose} is not valid UTF-8 (U+FFFD stands for the bytes that are not), so .NET cannot open it; rename it");
            }
            mark = end < 0 ? -1 : path.IndexOf('\uFFFD', end);
        }
        return null;
    }

    /// <summary>
    /// The target of the symlink <paramref name="path"/>. A target that is not valid UTF-8 is an
    /// <see cref="IOException"/>: .NET would give it with U+FFFD, and the layer would hold a link
    /// to another name than the host's.
    /// </summary>
    public static string? LinkTarget(string path)
    {
        var target = new FileInfo(path).LinkTarget;
        if (target is null || !target.Contains('\uFFFD') || !OperatingSystem.IsLinux()) return target;
        // The bytes themselves tell a U+FFFD written as UTF-8 (a name like any other) from bytes that are not UTF-8.
        Span<byte> bytes = stackalloc byte[4096];
        var length = LinuxNativeMethods.ReadLink(path, bytes, (nuint)bytes.Length);
        if (length < 0 || Utf8.IsValid(bytes[..(int)length])) return target;
        throw new IOException($"{path}: cannot read: the target of this symlink is not valid UTF-8 (U+FFFD stands for the bytes that are not: {target}), so its layer entry would point elsewhere; change the link");
    }

    /// <summary>Whether the directory holding <paramref name="path"/> lists its name, as .NET decodes it.</summary>
    private static bool IsListed(string path)
    {
        var name = Path.GetFileName(path);
        var directory = Path.GetDirectoryName(path);
        try
        {
            return Directory.EnumerateFileSystemEntries(string.IsNullOrEmpty(directory) ? "." : directory)
                .Any(entry => string.Equals(Path.GetFileName(entry), name, StringComparison.Ordinal));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
