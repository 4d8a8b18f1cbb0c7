using System.Formats.Tar;

namespace Dockerless.Tests.Layers;

/// <summary>PAX sparse entries (format 0.1, as GNU tar writes them) read expanded, and maps that lie refused.</summary>
public sealed class SparseFileTests
{
    private static MemoryStream Tar(string map, string realSize, byte[] data, string name = "etc/secret")
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "etc/GNUSparseFile.0/secret", new Dictionary<string, string>
            {
                ["GNU.sparse.size"] = realSize,
                ["GNU.sparse.numblocks"] = "2",
                ["GNU.sparse.name"] = name,
                ["GNU.sparse.map"] = map,
            })
            { DataStream = new MemoryStream(data) });
        }
        stream.Position = 0;
        return stream;
    }

    private static async Task<(string Path, byte[] Data)> ReadOneAsync(Stream tar)
    {
        await using var reader = new LayerTarReader(tar, "layer");
        var entry = (await reader.NextAsync(CancellationToken.None))!.Value;
        var data = new MemoryStream();
        await entry.Entry.DataStream!.CopyToAsync(data);
        Assert.Null(await reader.NextAsync(CancellationToken.None));
        return (entry.Path, data.ToArray());
    }

    [Fact]
    public async Task A_sparse_entry_is_read_under_its_real_name_with_its_holes_as_zeros()
    {
        var (path, data) = await ReadOneAsync(Tar("2,3,10,2", "14", "abcde"u8.ToArray()));

        Assert.Equal("etc/secret", path);
        Assert.Equal("\0\0abc\0\0\0\0\0de\0\0"u8.ToArray(), data);
    }

    [Theory]
    [InlineData("2,3,4,2", "14", "overlaps the one before")]
    [InlineData("2,3,10,5", "14", "passes the size")]
    [InlineData("2,3,10,1", "14", "4 bytes of data, but the entry holds 5")]
    [InlineData("2,3,10", "14", "odd count")]
    [InlineData("2,x,10,2", "14", "\"x\" that is not a whole number")]
    [InlineData("2,3,10,2", "-1", "\"-1\" that is not a whole number")]
    public async Task A_sparse_map_that_does_not_fit_its_entry_is_refused_naming_it(string map, string realSize, string problem)
    {
        var e = await Assert.ThrowsAsync<InvalidLayerException>(() => ReadOneAsync(Tar(map, realSize, "abcde"u8.ToArray())));

        Assert.Contains("etc/secret", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sparse_name_that_climbs_out_of_the_root_is_refused()
    {
        await Assert.ThrowsAsync<UnsafeTarEntryException>(() => ReadOneAsync(Tar("2,3,10,2", "14", "abcde"u8.ToArray(), name: "../../etc/passwd")));
    }
}
