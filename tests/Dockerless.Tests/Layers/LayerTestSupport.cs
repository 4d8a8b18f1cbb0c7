using System.Diagnostics;
using System.Formats.Tar;

namespace Dockerless.Tests.Layers;

/// <summary>A temporary directory removed when disposed.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dockerless-test-" + Guid.NewGuid().ToString("N"));

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Writes a file (creating its directories) and sets its mode.</summary>
    public string WriteFile(string relative, string contents, UnixFileMode mode = (UnixFileMode)0x1A4)
    {
        var path = Combine(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, contents);
        File.SetUnixFileMode(path, mode);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>One tar entry as read back, with its data.</summary>
internal sealed record ReadEntry(string Name, TarEntryType Type, UnixFileMode Mode, int Uid, int Gid, string UserName, string GroupName,
    DateTimeOffset ModificationTime, string LinkName, byte[] Data);

internal static class LayerTestSupport
{
    public const UnixFileMode Mode600 = (UnixFileMode)0x180;
    public const UnixFileMode Mode644 = (UnixFileMode)0x1A4;
    public const UnixFileMode Mode700 = (UnixFileMode)0x1C0;
    public const UnixFileMode Mode755 = (UnixFileMode)0x1ED;

    /// <summary>A whole-second time for layers whose entries' times a test compares.</summary>
    public static readonly DateTimeOffset Fixed = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    public static async Task<List<ReadEntry>> ReadTarAsync(Stream tar)
    {
        var entries = new List<ReadEntry>();
        await using var reader = new TarReader(tar);
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            var data = new MemoryStream();
            if (entry.DataStream is not null) await entry.DataStream.CopyToAsync(data);
            var posix = (PosixTarEntry)entry;
            entries.Add(new ReadEntry(entry.Name, entry.EntryType, entry.Mode, entry.Uid, entry.Gid, posix.UserName, posix.GroupName,
                entry.ModificationTime, entry.LinkName, data.ToArray()));
        }
        return entries;
    }

    public static async Task<List<ReadEntry>> ReadLayerAsync(Layer layer)
    {
        await using var tar = await layer.OpenUncompressedAsync();
        return await ReadTarAsync(tar);
    }

    public static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        await using (stream)
        {
            var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            return copy.ToArray();
        }
    }

    /// <summary>Runs a host tool (chown, ln, mkfifo) and fails the test on a non-zero exit.</summary>
    public static void Run(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', arguments)}: {error}");
    }
}
