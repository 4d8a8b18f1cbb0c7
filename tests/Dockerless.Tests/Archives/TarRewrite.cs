using System.Formats.Tar;
using System.Text;

namespace Dockerless.Tests.Archives;

/// <summary>Makes variants of archives for tests: entries dropped, renamed or changed.</summary>
internal static class TarRewrite
{
    /// <summary>Rewrites a tar entry by entry; <paramref name="edit"/> returns null to drop one, or a new name and data.</summary>
    public static async Task RewriteAsync(string from, string to, Func<string, byte[], (string Name, byte[] Data)?> edit)
    {
        await using var input = new TarReader(File.OpenRead(from));
        await using var output = new TarWriter(File.Create(to), TarEntryFormat.Pax);
        while (await input.GetNextEntryAsync() is { } entry)
        {
            if (entry.EntryType != TarEntryType.RegularFile)
            {
                await output.WriteEntryAsync(entry);
                continue;
            }
            var data = new MemoryStream();
            await entry.DataStream!.CopyToAsync(data);
            if (edit(entry.Name, data.ToArray()) is not { } changed) continue;
            await output.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, changed.Name) { DataStream = new MemoryStream(changed.Data) });
        }
    }

    /// <summary>The UTF-8 text of <paramref name="data"/> with <paramref name="from"/> replaced.</summary>
    public static byte[] Replace(byte[] data, string from, string to) => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(data).Replace(from, to, StringComparison.Ordinal));

    /// <summary>A copy of <paramref name="from"/> with one more file at its end.</summary>
    public static async Task AppendAsync(string from, string to, string name, byte[] data)
    {
        await using var input = new TarReader(File.OpenRead(from));
        await using var output = new TarWriter(File.Create(to), TarEntryFormat.Pax);
        while (await input.GetNextEntryAsync(copyData: true) is { } entry) await output.WriteEntryAsync(entry);
        await output.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });
    }
}
