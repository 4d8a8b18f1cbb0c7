using System.Formats.Tar;
using System.IO.Compression;
using Dockerless.IntegrationTests.Fixtures;
using Dockerless.Tests.Hostile;

namespace Dockerless.Tests.Layers;

/// <summary>
/// Layer tars as other tools write them, read the way docker, containerd and umoci read them:
/// without the end-of-archive blocks (and without the last entry's padding, as umoci's insert
/// writes them), and with a compression other than the one the media type names.
/// </summary>
public sealed class ForeignTarShapesTests : IDisposable
{
    private readonly Dockerless.IntegrationTests.Fixtures.TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly byte[] Data = "hello\n"u8.ToArray();

    /// <summary>A directory and a 6-byte file, cut after <paramref name="keep"/> bytes of what follows the file's data.</summary>
    private static byte[] Unterminated(int keep)
    {
        byte[] whole = [.. RawTar.Header("opt/", '5'), .. RawTar.Header("opt/file.txt", '0', Data.Length), .. RawTar.Padded(Data), .. RawTar.End()];
        return whole[..(3 * RawTar.Block - (RawTar.Block - Data.Length) + keep)];
    }

    public static TheoryData<int> Cuts() => new() { 0, RawTar.Block - Data.Length, RawTar.Block - Data.Length + RawTar.Block };

    [Theory]
    [MemberData(nameof(Cuts))]
    public async Task A_tar_that_ends_after_the_last_entry_without_its_end_blocks_is_exported_and_flattened(int keep)
    {
        var image = TestLayer.ImageOf("app", "1", new RawTarLayer(Unterminated(keep)));
        var exported = new MemoryStream();
        await image.ExportAsync(exported);
        exported.Position = 0;
        var names = new List<string>();
        await using (var reader = new TarReader(exported))
        {
            while (await reader.GetNextEntryAsync() is { } entry)
            {
                names.Add(entry.Name);
                if (entry.Name == "opt/file.txt") Assert.Equal(Data, await ReadAsync(entry.DataStream!));
            }
        }
        Assert.Contains("opt/file.txt", names);
        await using var flat = await image.FlattenAsync();
        Assert.Single(flat.Layers);
    }

    [Fact]
    public async Task A_tar_cut_inside_the_padding_is_still_refused()
    {
        var image = TestLayer.ImageOf("app", "1", new RawTarLayer(Unterminated(100)));
        var error = await Assert.ThrowsAsync<InvalidLayerException>(() => image.ExportAsync(Stream.Null));
        Assert.Contains("opt/file.txt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tar_cut_inside_a_file_is_still_refused()
    {
        var image = TestLayer.ImageOf("app", "1", new RawTarLayer(Unterminated(0)[..^2]));
        await Assert.ThrowsAsync<InvalidLayerException>(() => image.ExportAsync(Stream.Null));
    }

    public static TheoryData<string, LayerCompression> Mislabelled() => new()
    {
        { MediaTypes.OciLayerGzip, LayerCompression.None },
        { MediaTypes.DockerLayerGzip, LayerCompression.None },
        { MediaTypes.OciLayer, LayerCompression.Gzip },
        { MediaTypes.OciLayerGzip, LayerCompression.Zstd },
        { MediaTypes.OciLayerZstd, LayerCompression.Gzip },
    };

    [Theory]
    [MemberData(nameof(Mislabelled))]
    public async Task A_layer_is_decompressed_as_its_bytes_say_whatever_its_media_type(string mediaType, LayerCompression actual)
    {
        var built = await TestLayer.BuildAsync(_dir["layer"], [new("file.txt", Data)], actual);
        var layer = new FileLayer(new FileRegion(_dir["layer"], 0, built.Size, "layer"), built.Digest, built.DiffId, mediaType);
        var image = TestLayer.ImageOf("app", "1", layer);
        var exported = new MemoryStream();
        await image.ExportAsync(exported);
        exported.Position = 0;
        await using var reader = new TarReader(exported);
        var entry = await reader.GetNextEntryAsync();
        while (entry is not null && entry.Name != "file.txt") entry = await reader.GetNextEntryAsync();
        Assert.NotNull(entry);
        Assert.Equal(Data, await ReadAsync(entry.DataStream!));
        Assert.Equal(mediaType, image.Layers[0].MediaType);
    }

    [Fact]
    public async Task A_plain_tar_labelled_gzip_is_still_checked_against_its_diff_id()
    {
        var built = await TestLayer.BuildAsync(_dir["layer"], [new("file.txt", Data)], LayerCompression.None);
        var wrong = Digest.Compute("other"u8.ToArray());
        var layer = new FileLayer(new FileRegion(_dir["layer"], 0, built.Size, "layer"), built.Digest, wrong, MediaTypes.OciLayerGzip);
        var image = TestLayer.ImageOf("app", "1", layer);
        await Assert.ThrowsAsync<DigestMismatchException>(() => image.ExportAsync(Stream.Null));
    }

    private static async Task<byte[]> ReadAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
