using System.Formats.Tar;
using System.Text;

namespace Dockerless.Tests.Archives;

public class ArchiveTarWriterTests
{
    [Fact]
    public async Task An_extended_header_is_named_without_the_process_id()
    {
        // Too long for a USTAR name, so the entry needs a PAX header, whose name TarWriter would make from the pid.
        var name = "blobs/sha512/" + new string('e', 128);
        using var output = new MemoryStream();
        await using (var tar = new ArchiveTarWriter(output))
        {
            await tar.WriteFileAsync(name, "{}"u8.ToArray(), CancellationToken.None);
        }

        var text = Encoding.ASCII.GetString(output.ToArray());
        Assert.Contains(PaxHeaderScrubber.HeaderName + "\0", text);
        Assert.DoesNotContain($"PaxHeaders.{Environment.ProcessId}", text);
        output.Position = 0;
        await using var reader = new TarReader(output);
        TarEntry? entry;
        while ((entry = await reader.GetNextEntryAsync()) is { EntryType: TarEntryType.Directory }) { }
        Assert.Equal((name, 0, 0), (entry!.Name, entry.Uid, entry.Gid));
    }
}
