using System.Formats.Tar;
using System.Globalization;
using System.Text;
using static Dockerless.Tests.Layers.LayerTestSupport;

namespace Dockerless.Tests.Layers;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class LayerBuilderTests
{
    [Fact]
    public async Task A_host_tree_keeps_modes_links_and_hard_links_with_sorted_entries_and_parents()
    {
        using var tree = new TempDirectory();
        tree.WriteFile("app/bin/run.sh", "#!/bin/sh\necho hi\n", Mode755);
        tree.WriteFile("app/data.txt", "data", Mode644);
        tree.WriteFile("app/secret", "s", (UnixFileMode)0x180); // 0600
        File.CreateSymbolicLink(tree.Combine("app", "link"), "data.txt");
        Run("ln", tree.Combine("app", "data.txt"), tree.Combine("app", "hard"));
        Run("mkfifo", tree.Combine("app", "pipe"));
        Directory.CreateDirectory(tree.Combine("app", "empty"));
        File.SetUnixFileMode(tree.Combine("app", "empty"), (UnixFileMode)0x1C0); // 0700

        await using var layer = await Layer.FromPathAsync(tree.Combine("app"), "/opt/app", new LayerOptions { Timestamp = Fixed });
        var entries = await ReadLayerAsync(layer);

        Assert.Equal(
            ["opt/", "opt/app/", "opt/app/bin/", "opt/app/bin/run.sh", "opt/app/data.txt", "opt/app/empty/", "opt/app/hard", "opt/app/link", "opt/app/pipe", "opt/app/secret"],
            entries.Select(e => e.Name));
        var byName = entries.ToDictionary(e => e.Name);
        Assert.Equal(Mode755, byName["opt/"].Mode);
        Assert.Equal(TarEntryType.Directory, byName["opt/"].Type);
        Assert.Equal(Mode755, byName["opt/app/bin/run.sh"].Mode);
        Assert.Equal(Mode644, byName["opt/app/data.txt"].Mode);
        Assert.Equal((UnixFileMode)0x180, byName["opt/app/secret"].Mode);
        Assert.Equal((UnixFileMode)0x1C0, byName["opt/app/empty/"].Mode);
        Assert.Equal(TarEntryType.Fifo, byName["opt/app/pipe"].Type);
        Assert.Equal(TarEntryType.SymbolicLink, byName["opt/app/link"].Type);
        Assert.Equal("data.txt", byName["opt/app/link"].LinkName);
        // "data.txt" sorts first, so it carries the bytes and "hard" links to it.
        Assert.Equal("data", Encoding.UTF8.GetString(byName["opt/app/data.txt"].Data));
        Assert.Equal(TarEntryType.HardLink, byName["opt/app/hard"].Type);
        Assert.Equal("opt/app/data.txt", byName["opt/app/hard"].LinkName);
        Assert.Empty(byName["opt/app/hard"].Data);
        Assert.All(entries, e =>
        {
            Assert.Equal(0, e.Uid);
            Assert.Equal(0, e.Gid);
            Assert.Equal("", e.UserName);
            Assert.Equal("", e.GroupName);
            Assert.Equal(Fixed, e.ModificationTime);
        });
    }

    /// <summary>The path given is followed when it is a symlink, as docker's COPY follows its source; links inside a tree stay links.</summary>
    [Fact]
    public async Task A_symlink_given_as_the_source_brings_its_target_under_the_links_name()
    {
        using var tree = new TempDirectory();
        tree.WriteFile("releases/v2/app.json", "{}", Mode644);
        tree.WriteFile("releases/v2/run.sh", "#!/bin/sh\n", Mode755);
        File.CreateSymbolicLink(tree.Combine("releases", "v2", "latest.json"), "app.json");
        File.CreateSymbolicLink(tree.Combine("current"), "releases/v2");
        File.CreateSymbolicLink(tree.Combine("config.json"), "releases/v2/app.json");

        await using var directory = await new LayerBuilder().AddPath(tree.Combine("current"), "/app").BuildAsync(new LayerOptions { Timestamp = Fixed });
        await using var file = await new LayerBuilder().AddPath(tree.Combine("config.json"), "/etc/").BuildAsync(new LayerOptions { Timestamp = Fixed });
        await using var slashed = await new LayerBuilder().AddPath(tree.Combine("current") + "/", "/app").BuildAsync(new LayerOptions { Timestamp = Fixed });

        var entries = await ReadLayerAsync(directory);
        Assert.Equal(["app/", "app/app.json", "app/latest.json", "app/run.sh"], entries.Select(e => e.Name));
        Assert.Equal(TarEntryType.SymbolicLink, entries.Single(e => e.Name == "app/latest.json").Type);
        Assert.Equal(directory.DiffId, slashed.DiffId);
        var single = Assert.Single(await ReadLayerAsync(file), e => e.Type == TarEntryType.RegularFile);
        Assert.Equal("etc/config.json", single.Name);
    }

    /// <summary>No entries still make a tar: the 1024 zero bytes docker's empty layer is, whose gzip is valid too.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_empty_layer_is_the_empty_tar_docker_knows_not_an_empty_file(bool parallelGzip)
    {
        await using var layer = await new LayerBuilder().BuildAsync(new LayerOptions { Timestamp = Fixed, ParallelGzip = parallelGzip });

        Assert.Equal(Digest.Parse("sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"), layer.DiffId);
        await using var blob = await layer.OpenAsync();
        await using var gzip = new System.IO.Compression.GZipStream(blob, System.IO.Compression.CompressionMode.Decompress);
        var tar = new MemoryStream();
        await gzip.CopyToAsync(tar);
        Assert.Equal(new byte[1024], tar.ToArray());
        Assert.Empty(await ReadLayerAsync(layer));
    }

    /// <summary>A file whose size is not what it was when opened (here procfs, which says 0) fails naming it, never a tar whose header and data disagree.</summary>
    [Fact]
    public async Task A_file_that_is_longer_than_it_said_fails_naming_it()
    {
        var error = await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            await using var layer = await new LayerBuilder().AddPath("/proc/self/status", "/status").BuildAsync(new LayerOptions { Timestamp = Fixed });
        });

        Assert.Contains("/proc/self/status: the file grew while it was being read into the layer (0 bytes when it was opened)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_nul_in_a_path_or_link_target_is_refused_not_cut_short()
    {
        // A tar header ends a name at the first NUL: "a\0b" was written as "a", "/x\0y" as "/x".
        var file = Assert.Throws<ArgumentException>(() => new LayerBuilder().AddFile("a\0b", [1]));
        Assert.Equal("containerPath", file.ParamName);
        Assert.Contains("NUL", file.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => Layer.FromContentsAsync([new("dir\0/x", [1])]));
        Assert.Throws<ArgumentException>(() => new LayerBuilder().AddDirectory("d\0"));
        Assert.Throws<ArgumentException>(() => new LayerBuilder().DeletePath("x\0y"));
        Assert.Equal("target", Assert.Throws<ArgumentException>(() => new LayerBuilder().AddSymbolicLink("l", "/x\0y")).ParamName);
    }

    [Fact]
    public async Task A_path_under_a_file_or_link_of_the_layer_or_a_file_over_its_entries_is_refused()
    {
        // Both would be in the tar: a file "a" and "a/b", which no extraction can make.
        var under = await Assert.ThrowsAsync<ArgumentException>(() => Layer.FromContentsAsync([new("a", [1]), new("a/b", [2])]));
        Assert.Equal("containerPath", under.ParamName);
        Assert.Contains("/a is a file", under.Message, StringComparison.Ordinal);
        var over = await Assert.ThrowsAsync<ArgumentException>(() => Layer.FromContentsAsync([new("a/b", [2]), new("a", [1])]));
        Assert.Contains("/a as a file", over.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new LayerBuilder().AddSymbolicLink("etc", "/elsewhere").AddFile("etc/passwd", [1]));
        Assert.Throws<ArgumentException>(() => new LayerBuilder().AddFile("a", [1]).DeletePath("a/b"));
        Assert.Throws<ArgumentException>(() => new LayerBuilder().AddFile("a/b", [1]).AddSymbolicLink("a", "c"));

        // A directory over a file, or a file replacing a file, is still a replacement; a deletion beside an addition still goes.
        var entries = await LayerTestSupport.ReadLayerAsync(await new LayerBuilder()
            .AddFile("a", [1]).AddDirectory("a").AddFile("a/b", [2]).AddFile("a/b", [3]).DeletePath("a").BuildAsync());
        Assert.Equal([".wh.a", "a/", "a/b"], entries.Select(e => e.Name));
        Assert.Equal([3], entries[2].Data);
    }

    [Fact]
    public async Task A_whiteout_name_given_as_content_is_refused_and_deletions_still_go()
    {
        // A reader takes .wh.x for a whiteout: added as a file, it would delete x from the layers below.
        var file = Assert.Throws<ArgumentException>(() => new LayerBuilder().AddFile("etc/.wh.passwd", [1]));
        Assert.Equal("containerPath", file.ParamName);
        Assert.StartsWith("cannot add /etc/.wh.passwd: a name beginning with .wh. (.wh.passwd) is a whiteout", file.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => Layer.FromContentsAsync([new("var/.wh..wh..opq", [])]));
        await Assert.ThrowsAsync<ArgumentException>(() => Layer.FromContentsAsync([new("srv/.wh.data/file", [1])]));
        Assert.Throws<ArgumentException>(() => new LayerBuilder().AddDirectory(".wh.d"));
        Assert.Throws<ArgumentException>(() => new LayerBuilder().AddSymbolicLink("a/.wh.b", "c"));
        Assert.Throws<ArgumentException>(() => new LayerBuilder().DeletePath(".wh.a/b"));

        var entries = await LayerTestSupport.ReadLayerAsync(await new LayerBuilder().DeletePath("etc/passwd").ClearDirectory("var").AddFile("wh.txt", [1]).BuildAsync());
        Assert.Equal(["etc/.wh.passwd", "var/.wh..wh..opq", "wh.txt"], entries.Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_single_file_goes_at_the_path_or_under_a_directory_path()
    {
        using var tree = new TempDirectory();
        var file = tree.WriteFile("tool", "x", Mode755);

        await using var at = await Layer.FromPathAsync(file, "/usr/bin/renamed");
        await using var under = await Layer.FromPathAsync(file, "/usr/bin/");

        Assert.Equal(["usr/", "usr/bin/", "usr/bin/renamed"], (await ReadLayerAsync(at)).Select(e => e.Name));
        var entries = await ReadLayerAsync(under);
        Assert.Equal(["usr/", "usr/bin/", "usr/bin/tool"], entries.Select(e => e.Name));
        Assert.Equal(Mode755, entries[2].Mode);
    }

    [Fact]
    public async Task Contents_become_0644_root_owned_files_with_parents_and_options_set_owner_and_time()
    {
        var contents = new Dictionary<string, byte[]>
        {
            ["/this/is/a/test2"] = "this is test 2"u8.ToArray(),
            ["/this/is/a/test1"] = "this is test 1"u8.ToArray(),
        };
        await using var layer = await Layer.FromContentsAsync(contents, new LayerOptions { Uid = 1000, Gid = 1001, Timestamp = Fixed });

        var entries = await ReadLayerAsync(layer);

        Assert.Equal(["this/", "this/is/", "this/is/a/", "this/is/a/test1", "this/is/a/test2"], entries.Select(e => e.Name));
        Assert.Equal("this is test 1", Encoding.UTF8.GetString(entries[3].Data));
        Assert.Equal(Mode644, entries[3].Mode);
        Assert.All(entries, e => Assert.Equal((1000, 1001, Fixed), (e.Uid, e.Gid, e.ModificationTime)));
    }

    [Theory]
    [InlineData(-86_400)]
    [InlineData(1L << 34)]
    public async Task A_timestamp_that_a_ustar_header_cannot_hold_is_written_in_pax(long seconds)
    {
        // Before 1970 or past 2242: USTAR's 11 octal digits hold neither.
        var timestamp = DateTimeOffset.FromUnixTimeSeconds(seconds);
        var contents = new Dictionary<string, byte[]> { ["/dated"] = "dated"u8.ToArray() };
        await using var layer = await Layer.FromContentsAsync(contents, new LayerOptions { Timestamp = timestamp });

        var entry = Assert.Single(await ReadLayerAsync(layer));
        Assert.Equal(("dated", timestamp), (entry.Name, entry.ModificationTime));
    }

    /// <summary>
    /// A time with a fraction of a second (<c>DateTimeOffset.UtcNow</c>, say) is cut to whole seconds
    /// in every entry, as docker's archive writer cuts mtimes: USTAR headers dropped the fraction,
    /// while entries that need a PAX header (a long or non-ASCII name, a time before 1970) kept it
    /// as "mtime=1700000000.999".
    /// </summary>
    [Theory]
    [InlineData(1_700_000_000_999, 1_700_000_000)]
    [InlineData(-86_399_500, -86_400)]
    public async Task A_timestamp_with_a_fraction_of_a_second_is_cut_to_whole_seconds_in_every_entry(long milliseconds, long seconds)
    {
        var contents = new Dictionary<string, byte[]> { ["/short"] = [1], ["/" + new string('l', 120)] = [2], ["/caf\u00e9"] = [3] };
        await using var layer = await Layer.FromContentsAsync(contents, new LayerOptions { Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(milliseconds) });

        await using var tar = await layer.OpenUncompressedAsync();
        await using var reader = new TarReader(tar);
        var count = 0;
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            count++;
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(seconds), entry.ModificationTime);
            // TarWriter puts an mtime record in every PAX header; it must hold the whole seconds too.
            if (entry is PaxTarEntry pax) Assert.Equal(seconds.ToString(CultureInfo.InvariantCulture), pax.ExtendedAttributes["mtime"]);
        }
        Assert.Equal(3, count);
    }

    [Fact]
    public async Task The_same_tree_copied_with_other_mtimes_owners_and_creation_order_gives_the_same_digests()
    {
        using var one = new TempDirectory();
        using var two = new TempDirectory();
        string[] files = ["b/z.txt", "a/y.txt", "c/d/e/x.bin", "top"];
        foreach (var f in files) one.WriteFile(f, "contents of " + f, f.EndsWith(".bin", StringComparison.Ordinal) ? Mode755 : Mode644);
        foreach (var f in files.Reverse()) two.WriteFile(f, "contents of " + f, f.EndsWith(".bin", StringComparison.Ordinal) ? Mode755 : Mode644);
        foreach (var path in Directory.EnumerateFileSystemEntries(two.Path, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(path, new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc));
        }
        Run("chown", "-R", "4321:8765", two.Path);

        await using var first = await Layer.FromPathAsync(one.Path, "/srv");
        await using var second = await Layer.FromPathAsync(two.Path, "/srv");

        Assert.Equal(first.DiffId, second.DiffId);
        Assert.Equal(first.Digest, second.Digest);
        Assert.Equal(first.Size, second.Size);
    }

    [Fact]
    public async Task Gzip_zstd_and_none_decompress_to_the_same_diff_id()
    {
        var builder = new LayerBuilder().AddFile("/a/b", new byte[100_000]).AddSymbolicLink("/a/c", "b");

        await using var gzip = await builder.BuildAsync();
        await using var zstd = await builder.BuildAsync(new LayerOptions { Compression = LayerCompression.Zstd });
        await using var none = await builder.BuildAsync(new LayerOptions { Compression = LayerCompression.None });

        Assert.Equal(MediaTypes.OciLayerGzip, gzip.MediaType);
        Assert.Equal(MediaTypes.OciLayerZstd, zstd.MediaType);
        Assert.Equal(MediaTypes.OciLayer, none.MediaType);
        Assert.Equal(none.Digest, none.DiffId);
        foreach (var layer in new[] { gzip, zstd, none })
        {
            Assert.Equal(gzip.DiffId, layer.DiffId);
            var tar = await ReadAllAsync(await layer.OpenUncompressedAsync());
            Assert.Equal(gzip.DiffId, Digest.Compute(tar));
            Assert.Equal(gzip.UncompressedSize, tar.Length);
            var blob = await ReadAllAsync(await layer.OpenAsync());
            Assert.Equal(layer.Digest, Digest.Compute(blob));
            Assert.Equal(layer.Size, blob.Length);
        }
        Assert.True(gzip.Size < none.Size && zstd.Size < none.Size);
    }

    [Fact]
    public async Task An_existing_tar_becomes_a_layer_whose_diff_id_is_the_tar_digest()
    {
        var tar = new MemoryStream();
        await new LayerBuilder().AddFile("/a", "a"u8.ToArray()).WriteTarAsync(tar);
        tar.Position = 0;

        await using var layer = await Layer.FromTarAsync(tar);

        Assert.Equal(Digest.Compute(tar.ToArray()), layer.DiffId);
        Assert.Equal(tar.ToArray(), await ReadAllAsync(await layer.OpenUncompressedAsync()));
    }

    [Fact]
    public async Task Gzip_has_a_fixed_header_and_gives_the_same_bytes_every_time()
    {
        var builder = new LayerBuilder().AddFile("/f", "same"u8.ToArray());
        await using var first = await builder.BuildAsync();
        await using var second = await builder.BuildAsync();

        var bytes = await ReadAllAsync(await first.OpenAsync());
        Assert.Equal(new byte[] { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0 }, bytes[..8]); // no FNAME flag, mtime 0
        Assert.Equal(bytes, await ReadAllAsync(await second.OpenAsync()));
    }

    [Fact]
    public async Task Pax_headers_carry_no_process_id_and_file_data_that_looks_like_one_is_untouched()
    {
        var longName = "/deep/" + new string('n', 150) + "/file";
        var nonAscii = "/data/caf\u00e9";
        var builder = new LayerBuilder().AddFile(longName, "x"u8.ToArray()).AddFile(nonAscii, "y"u8.ToArray());
        var tar = new MemoryStream();
        await builder.WriteTarAsync(tar);
        var text = Encoding.Latin1.GetString(tar.ToArray());
        Assert.Contains("PaxHeaders.0", text, StringComparison.Ordinal);
        Assert.DoesNotContain("PaxHeaders." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture), text, StringComparison.Ordinal);

        // An extended header as TarWriter writes it (process id and all), stored as a file's bytes.
        var raw = new MemoryStream();
        await using (var writer = new TarWriter(raw, TarEntryFormat.Pax, leaveOpen: true))
        {
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "f") { DataStream = new MemoryStream([1]) });
        }
        var lookalike = raw.ToArray()[..1024];
        await using var layer = await new LayerBuilder().AddFile("/lookalike", lookalike).BuildAsync();
        var entries = await ReadLayerAsync(layer);
        Assert.Equal(lookalike, entries.Single(e => e.Name == "lookalike").Data);

        var read = await ReadTarAsync(new MemoryStream(tar.ToArray()));
        Assert.Contains(read, e => e.Name == longName[1..]);
        Assert.Contains(read, e => e.Name == nonAscii[1..]);
    }

    [Fact]
    public async Task A_large_layer_is_spooled_to_an_unlinked_file_that_reads_back_verified()
    {
        using var temp = new TempDirectory();
        var random = new byte[300_000];
        new Random(42).NextBytes(random);
        var options = new LayerOptions { MemoryLimit = 64 * 1024, TemporaryDirectory = temp.Path };

        await using var layer = await new LayerBuilder().AddFile("/random", random).BuildAsync(options);

        Assert.True(layer.IsSpooledToDisk);
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
        var blob = await ReadAllAsync(await layer.OpenAsync());
        Assert.Equal(layer.Digest, Digest.Compute(blob));
        Assert.Equal(random, (await ReadLayerAsync(layer)).Single(e => e.Name == "random").Data);
    }

    [Fact]
    public async Task Deletions_write_whiteouts_and_opaque_markers()
    {
        await using var layer = await new LayerBuilder()
            .DeletePath("/etc/old.conf")
            .ClearDirectory("/var/cache")
            .AddFile("/var/cache/fresh", "f"u8.ToArray())
            .BuildAsync();

        var entries = await ReadLayerAsync(layer);

        Assert.Equal(["etc/.wh.old.conf", "var/", "var/cache/", "var/cache/.wh..wh..opq", "var/cache/fresh"], entries.Select(e => e.Name));
        Assert.Equal(TarEntryType.RegularFile, entries[0].Type);
        Assert.Empty(entries[0].Data);
    }

    [Fact]
    public void A_missing_host_path_is_reported()
    {
        using var temp = new TempDirectory();
        Assert.Throws<FileNotFoundException>(() => new LayerBuilder().AddPath(temp.Combine("missing")));
    }

    [Theory]
    [InlineData(LayerCompression.None, false)]
    [InlineData(LayerCompression.Gzip, false)]
    [InlineData(LayerCompression.Gzip, true)]
    [InlineData(LayerCompression.Zstd, false)]
    public async Task A_cancelled_build_reports_the_cancellation_and_leaves_nothing_behind(LayerCompression compression, bool parallel)
    {
        using var temp = new TempDirectory();
        var builder = new LayerBuilder().AddFile("/big", new byte[200_000]);
        var options = new LayerOptions { MemoryLimit = 1024, TemporaryDirectory = temp.Path, Compression = compression, ParallelGzip = parallel };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => builder.BuildAsync(options, new CancellationToken(canceled: true)));

        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [Fact]
    public void Container_paths_that_climb_above_the_root_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new LayerBuilder().AddFile("../../etc/passwd", [1]));
        Assert.Throws<ArgumentException>(() => new LayerBuilder().AddFile("/", [1]));
    }

    [Fact]
    public async Task Image_add_layer_methods_record_diff_ids_and_history()
    {
        using var tree = new TempDirectory();
        tree.WriteFile("app/main", "m");
        await using var image = Image.Scratch("test", "v1");

        image.AddLayerPath(tree.Combine("app"), "/app");
        image.AddLayerContents(new Dictionary<string, byte[]> { ["/this/is/a/test1"] = "this is test 1"u8.ToArray() });
        await image.AddLayerContentsAsync(new Dictionary<string, byte[]> { ["/x"] = [1] });
        image.DeletePaths("/x");

        Assert.Equal(4, image.Layers.Count);
        Assert.Equal(image.Layers.Select(l => l.DiffId), image.Configuration.RootFs.DiffIds);
        Assert.Equal("COPY app /app", image.History[0].CreatedBy);
        Assert.Equal("dockerless add-layer-contents /this/is/a/test1", image.History[1].CreatedBy);
        Assert.Equal("dockerless delete /x", image.History[3].CreatedBy);
        Assert.All(image.History, h => Assert.Equal(Image.DefaultTimestamp, h.Created));
    }
    /// <summary>
    /// On top of other layers no parent directory is made up: a 0755 root-owned /tmp or /srv in the
    /// new layer would replace the base's 1777 /tmp or 0700 /srv when the layers are applied.
    /// From scratch the parents are written, as nothing below holds them.
    /// </summary>
    [Fact]
    public async Task A_layer_on_top_of_others_makes_up_no_parent_directory()
    {
        await using var image = Image.Scratch();
        await image.AddLayerContentsAsync(new Dictionary<string, byte[]> { ["/tmp/a"] = [1] });
        await image.AddLayerContentsAsync(new Dictionary<string, byte[]> { ["/tmp/b"] = [2] });

        Assert.Equal(["tmp/", "tmp/a"], (await ReadLayerAsync(image.Layers[0])).Select(e => e.Name));
        Assert.Equal(["tmp/b"], (await ReadLayerAsync(image.Layers[1])).Select(e => e.Name));
    }
}
