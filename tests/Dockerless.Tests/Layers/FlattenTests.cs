using System.Formats.Tar;
using System.Text;
using Dockerless.IntegrationTests.Fixtures;
using static Dockerless.Tests.Layers.LayerTestSupport;

namespace Dockerless.Tests.Layers;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class FlattenTests
{
    private static async Task<Image> ImageOf(params LayerBuilder[] layers)
    {
        var image = Image.Scratch("flat");
        foreach (var builder in layers) image.AddLayer(await builder.BuildAsync());
        return image;
    }

    private static async Task<Dictionary<string, ReadEntry>> ExportAsync(Image image)
    {
        var tar = new MemoryStream();
        await image.ExportAsync(tar);
        tar.Position = 0;
        var entries = await ReadTarAsync(tar);
        Assert.Equal(entries.Count, entries.Select(e => e.Name).Distinct().Count());
        return entries.ToDictionary(e => e.Name);
    }

    private static string Text(ReadEntry entry) => Encoding.UTF8.GetString(entry.Data);

    [Fact]
    public async Task Whiteouts_delete_files_and_whole_directories_of_lower_layers()
    {
        await using var image = await ImageOf(
            new LayerBuilder().AddFile("/a/keep", "k"u8.ToArray()).AddFile("/a/sub/deep/f", "f"u8.ToArray()).AddFile("/b", "b"u8.ToArray()),
            new LayerBuilder().DeletePath("/a/sub").DeletePath("/b"));

        var entries = await ExportAsync(image);

        Assert.Equal(["a/", "a/keep"], entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("k", Text(entries["a/keep"]));
    }

    [Fact]
    public async Task An_opaque_directory_hides_lower_content_but_keeps_its_own()
    {
        await using var image = await ImageOf(
            new LayerBuilder().AddFile("/d/old", "o"u8.ToArray()).AddFile("/d/sub/older", "o"u8.ToArray()).AddFile("/e/untouched", "u"u8.ToArray()),
            new LayerBuilder().ClearDirectory("/d").AddFile("/d/new", "n"u8.ToArray()));

        var entries = await ExportAsync(image);

        Assert.Equal(["d/", "d/new", "e/", "e/untouched"], entries.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_opaque_marker_at_the_root_hides_everything_below_but_keeps_its_own_layer()
    {
        await using var image = Image.Scratch();
        image.AddLayer(await new LayerBuilder().AddFile("/a", "a"u8.ToArray()).AddFile("/d/x", "x"u8.ToArray()).BuildAsync());
        image.AddLayer(RawTarLayer.Of(RawTarLayer.File("b", "b"), RawTarLayer.File("./.wh..wh..opq", "")));

        var entries = await ExportAsync(image);

        Assert.Equal(["b"], entries.Keys);
    }

    [Fact]
    public async Task The_newest_root_entry_is_written_as_dot_slash_with_its_mode_and_owner()
    {
        var root = new PaxTarEntry(TarEntryType.Directory, "./") { Mode = Mode700, Uid = 5, Gid = 6 };
        var lowerRoot = new PaxTarEntry(TarEntryType.Directory, "./") { Mode = Mode755 };
        await using var image = Image.Scratch();
        image.AddLayer(RawTarLayer.Of(lowerRoot, RawTarLayer.File("a", "a")));
        image.AddLayer(RawTarLayer.Of(root, RawTarLayer.File("b", "b"), RawTarLayer.File(".wh..wh..opq", "")));

        var entries = await ExportAsync(image);

        Assert.Equal(["./", "b"], entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((TarEntryType.Directory, Mode700, 5, 6), (entries["./"].Type, entries["./"].Mode, entries["./"].Uid, entries["./"].Gid));
    }

    [Fact]
    public async Task A_file_replaced_by_a_directory_and_a_directory_replaced_by_a_file()
    {
        await using var image = await ImageOf(
            new LayerBuilder().AddFile("/x", "file"u8.ToArray()).AddFile("/p/q", "q"u8.ToArray()),
            new LayerBuilder().AddFile("/x/y", "y"u8.ToArray()).DeletePath("/p").AddFile("/p", "now a file"u8.ToArray()));

        var entries = await ExportAsync(image);

        Assert.Equal(["p", "x/", "x/y"], entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(TarEntryType.Directory, entries["x/"].Type);
        Assert.Equal("now a file", Text(entries["p"]));
    }

    [Fact]
    public async Task A_non_directory_hides_a_lower_directory_even_without_a_whiteout()
    {
        await using var image = await ImageOf(
            new LayerBuilder().AddFile("/p/q", "q"u8.ToArray()),
            new LayerBuilder().AddSymbolicLink("/p", "/elsewhere"));

        var entries = await ExportAsync(image);

        Assert.Equal(["p"], entries.Keys);
        Assert.Equal(TarEntryType.SymbolicLink, entries["p"].Type);
    }

    [Fact]
    public async Task The_newest_version_of_a_file_wins_and_a_whiteout_does_not_touch_its_own_layer()
    {
        await using var image = await ImageOf(
            new LayerBuilder().AddFile("/f", "old"u8.ToArray()).AddFile("/z", "old"u8.ToArray()),
            new LayerBuilder().AddFile("/f", "new"u8.ToArray(), (UnixFileMode)0x1ED).DeletePath("/z").AddFile("/z", "same layer"u8.ToArray()));

        var entries = await ExportAsync(image);

        Assert.Equal("new", Text(entries["f"]));
        Assert.Equal(Mode755, entries["f"].Mode);
        Assert.Equal("same layer", Text(entries["z"]));
    }

    [Fact]
    public async Task Hard_links_keep_their_bytes_when_a_newer_layer_deletes_or_replaces_the_target()
    {
        using var tree = new TempDirectory();
        tree.WriteFile("h/a", "shared");
        Run("ln", tree.Combine("h", "a"), tree.Combine("h", "b"));
        Run("ln", tree.Combine("h", "a"), tree.Combine("h", "c"));
        var baseLayer = new LayerBuilder().AddPath(tree.Combine("h"), "/h");

        await using var deleted = await ImageOf(baseLayer, new LayerBuilder().DeletePath("/h/a"));
        var afterDelete = await ExportAsync(deleted);
        Assert.Equal(["h/", "h/b", "h/c"], afterDelete.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((TarEntryType.RegularFile, "shared"), (afterDelete["h/b"].Type, Text(afterDelete["h/b"])));
        Assert.Equal((TarEntryType.HardLink, "h/b"), (afterDelete["h/c"].Type, afterDelete["h/c"].LinkName));

        await using var replaced = await ImageOf(baseLayer, new LayerBuilder().AddFile("/h/a", "replaced"u8.ToArray()));
        var afterReplace = await ExportAsync(replaced);
        Assert.Equal("replaced", Text(afterReplace["h/a"]));
        Assert.Equal("shared", Text(afterReplace["h/b"]));
        Assert.Equal("h/b", afterReplace["h/c"].LinkName);

        await using var untouched = await ImageOf(baseLayer);
        var plain = await ExportAsync(untouched);
        Assert.Equal((TarEntryType.HardLink, "h/a"), (plain["h/b"].Type, plain["h/b"].LinkName));
    }

    [Fact]
    public async Task A_hard_link_to_a_file_of_a_lower_layer_is_written_after_its_target()
    {
        await using var image = Image.Scratch();
        image.AddLayer(await new LayerBuilder().AddFile("/t", "target"u8.ToArray()).BuildAsync());
        image.AddLayer(RawTarLayer.Of(RawTarLayer.Link(TarEntryType.HardLink, "l", "t")));

        var tar = new MemoryStream();
        await image.ExportAsync(tar);
        tar.Position = 0;
        var entries = await ReadTarAsync(tar);

        Assert.Equal(["t", "l"], entries.Select(e => e.Name));
        Assert.Equal("t", entries[1].LinkName);
    }

    [Fact]
    public async Task Flatten_gives_one_layer_holding_the_export_and_keeps_the_configuration()
    {
        await using var image = await ImageOf(
            new LayerBuilder().AddFile("/a", "1"u8.ToArray()),
            new LayerBuilder().AddFile("/b", "2"u8.ToArray()).DeletePath("/a"));
        image.Config.Env.Add("FOO=BAR");
        var export = new MemoryStream();
        await image.ExportAsync(export);

        await using var flat = await image.FlattenAsync(new LayerOptions { Compression = LayerCompression.Zstd });

        var layer = Assert.Single(flat.Layers);
        Assert.Equal(Digest.Compute(export.ToArray()), layer.DiffId);
        Assert.Equal(MediaTypes.OciLayerZstd, layer.MediaType);
        Assert.Equal([layer.DiffId], flat.Configuration.RootFs.DiffIds);
        Assert.Equal("dockerless flatten", Assert.Single(flat.History).CreatedBy);
        Assert.Contains("FOO=BAR", flat.Config.Env);
        Assert.Equal(("flat", "latest"), (flat.Name, flat.Tag));
        Assert.Equal(2, image.Layers.Count);
        var second = new MemoryStream();
        await image.ExportAsync(second);
        Assert.Equal(export.ToArray(), second.ToArray());
    }

    [Fact]
    public async Task A_fraction_of_a_second_in_an_entry_time_survives_the_export()
    {
        var time = DateTimeOffset.FromUnixTimeMilliseconds(1_600_000_000_250);
        var file = RawTarLayer.File("a", "a");
        file.ModificationTime = time;
        await using var image = Image.Scratch();
        image.AddLayer(RawTarLayer.Of(file, RawTarLayer.File("b", "b")));

        var entries = await ExportAsync(image);

        Assert.Equal(time, entries["a"].ModificationTime);
    }

    [Fact]
    public async Task Dot_slash_and_leading_slash_paths_are_normalised_as_docker_does()
    {
        await using var image = Image.Scratch();
        image.AddLayer(RawTarLayer.Of(
            new PaxTarEntry(TarEntryType.Directory, "./"),
            new PaxTarEntry(TarEntryType.Directory, "./etc/"),
            RawTarLayer.File("./etc/hostname", "h"),
            RawTarLayer.File("/abs/file", "a"),
            RawTarLayer.File("x/../y", "y")));

        var entries = await ExportAsync(image);

        Assert.Equal(["./", "abs/file", "etc/", "etc/hostname", "y"], entries.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/../../escape")]
    [InlineData("/../escape")]
    public async Task A_path_climbing_above_the_root_is_refused(string name)
    {
        await using var image = Image.Scratch();
        var layer = RawTarLayer.Of(RawTarLayer.File("fine", "f"), RawTarLayer.File(name, "x"));
        image.AddLayer(layer);

        var error = await Assert.ThrowsAsync<UnsafeTarEntryException>(() => image.ExportAsync(Stream.Null));

        Assert.Equal(name, error.Entry);
        Assert.Contains(layer.Digest.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hard_link_escaping_the_root_is_refused()
    {
        await using var image = Image.Scratch();
        image.AddLayer(RawTarLayer.Of(RawTarLayer.Link(TarEntryType.HardLink, "passwd", "../../etc/passwd")));

        var error = await Assert.ThrowsAsync<UnsafeTarEntryException>(() => image.ExportAsync(Stream.Null));

        Assert.Equal("passwd", error.Entry);
        Assert.Contains("../../etc/passwd", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Symbolic_links_may_point_anywhere()
    {
        await using var image = Image.Scratch();
        image.AddLayer(RawTarLayer.Of(RawTarLayer.Link(TarEntryType.SymbolicLink, "up", "../../etc/passwd")));

        var entries = await ExportAsync(image);

        Assert.Equal("../../etc/passwd", entries["up"].LinkName);
    }

    [Fact]
    public async Task Duplicate_entries_keep_their_order_so_the_last_one_wins()
    {
        await using var image = Image.Scratch();
        image.AddLayer(RawTarLayer.Of(RawTarLayer.File("f", "first"), RawTarLayer.File("./f", "last")));

        var tar = new MemoryStream();
        await image.ExportAsync(tar);
        tar.Position = 0;
        var entries = await ReadTarAsync(tar);

        Assert.Equal(["first", "last"], entries.Where(e => e.Name == "f").Select(Text));
    }

    [Fact]
    public async Task The_validator_counts_the_entries_of_a_good_layer_and_refuses_a_bad_one()
    {
        var good = await ReadAllAsync(await RawTarLayer.Of(RawTarLayer.File("./a", "a"), new PaxTarEntry(TarEntryType.Directory, "./")).OpenAsync());
        Assert.Equal(1, await Dockerless.Layers.LayerTarReader.ValidateAsync(new MemoryStream(good), "good.tar", default));

        var bad = await ReadAllAsync(await RawTarLayer.Of(RawTarLayer.File("../a", "a")).OpenAsync());
        var error = await Assert.ThrowsAsync<UnsafeTarEntryException>(() => Dockerless.Layers.LayerTarReader.ValidateAsync(new MemoryStream(bad), "bad.tar", default));
        Assert.Equal(("bad.tar", "../a"), (error.Layer, error.Entry));
    }

    [Fact]
    public async Task A_hard_link_names_the_target_before_it_not_one_later_in_its_layer()
    {
        await using var image = Image.Scratch();
        image.AddLayer(await new LayerBuilder().AddFile("/t", "old"u8.ToArray()).BuildAsync());
        image.AddLayer(RawTarLayer.Of(RawTarLayer.Link(TarEntryType.HardLink, "l", "t"), RawTarLayer.File("t", "new")));

        var entries = await ExportAsync(image);

        Assert.Equal((TarEntryType.RegularFile, "old"), (entries["l"].Type, Text(entries["l"])));
        Assert.Equal((TarEntryType.RegularFile, "new"), (entries["t"].Type, Text(entries["t"])));
    }

    [Fact]
    public async Task A_hard_link_to_a_target_only_later_in_its_layer_is_an_invalid_layer()
    {
        await using var image = Image.Scratch();
        image.AddLayer(RawTarLayer.Of(RawTarLayer.Link(TarEntryType.HardLink, "l", "t"), RawTarLayer.File("t", "t")));

        var error = await Assert.ThrowsAsync<InvalidLayerException>(() => image.ExportAsync(Stream.Null));

        Assert.Equal("l", error.Entry);
    }

    [Fact]
    public async Task A_hard_link_to_nothing_is_an_invalid_layer()
    {
        await using var image = Image.Scratch();
        image.AddLayer(RawTarLayer.Of(RawTarLayer.Link(TarEntryType.HardLink, "l", "missing")));

        var error = await Assert.ThrowsAsync<InvalidLayerException>(() => image.ExportAsync(Stream.Null));

        Assert.Equal("l", error.Entry);
    }

    [Theory]
    [InlineData(700)]   // inside the first file's data
    [InlineData(1536)]  // where the second file's data should start
    [InlineData(1100)]  // inside the second header
    public async Task A_truncated_tar_is_an_invalid_layer_naming_the_entry(int keep)
    {
        var whole = RawTarLayer.Of(new UstarTarEntry(TarEntryType.RegularFile, "first") { DataStream = new MemoryStream(new byte[10]) },
            new UstarTarEntry(TarEntryType.RegularFile, "big") { DataStream = new MemoryStream(new byte[5000]) });
        var bytes = await ReadAllAsync(await whole.OpenAsync());
        await using var image = Image.Scratch();
        var truncated = new RawTarLayer(bytes[..keep]);
        image.AddLayer(truncated);

        var error = await Assert.ThrowsAsync<InvalidLayerException>(() => image.ExportAsync(Stream.Null));

        Assert.Contains(truncated.Digest.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Entry);
    }

    [Fact]
    public async Task Garbage_instead_of_a_tar_is_an_invalid_layer()
    {
        var garbage = new byte[2048];
        new Random(3).NextBytes(garbage);
        await using var image = Image.Scratch();
        image.AddLayer(new RawTarLayer(garbage));

        var error = await Assert.ThrowsAsync<InvalidLayerException>(() => image.ExportAsync(Stream.Null));

        Assert.Contains("corrupt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Owners_names_modes_and_xattrs_of_layer_entries_survive_the_export()
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, "bin/ping", [new("SCHILY.xattr.security.capability", "cap")])
        {
            DataStream = new MemoryStream([1, 2, 3]),
            Uid = 1000,
            Gid = 2000,
            UserName = "builder",
            GroupName = "staff",
            Mode = (UnixFileMode)0x9ED,
            ModificationTime = DateTimeOffset.FromUnixTimeSeconds(1_600_000_000),
        };
        await using var image = Image.Scratch();
        image.AddLayer(RawTarLayer.Of(entry));

        var tar = new MemoryStream();
        await image.ExportAsync(tar);
        tar.Position = 0;
        await using var reader = new TarReader(tar);
        var read = Assert.IsType<PaxTarEntry>(await reader.GetNextEntryAsync());

        Assert.Equal(("bin/ping", 1000, 2000, "builder", "staff"), (read.Name, read.Uid, read.Gid, read.UserName, read.GroupName));
        Assert.Equal((UnixFileMode)0x9ED, read.Mode);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_600_000_000), read.ModificationTime);
        Assert.Equal("cap", read.ExtendedAttributes["SCHILY.xattr.security.capability"]);
    }
}
