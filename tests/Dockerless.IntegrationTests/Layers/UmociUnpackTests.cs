using System.Formats.Tar;
using System.Text;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.IntegrationTests.Layers;

/// <summary>
/// Differential tests of <see cref="Image.ExportAsync"/> and <see cref="Image.FlattenAsync"/> against
/// umoci, a layer applier we did not write: umoci unpacks the crafted multi-layer image into one
/// rootfs and our flattened image into another, and the two trees must hold the same paths, types,
/// modes, owners, file times (to the nanosecond), link targets, hard link groups and contents. Directory times are not
/// compared (umoci touches a directory when it changes what is in it). Layers are written by hand
/// with TarWriter, so they hold what real images can hold and our builder would not write.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class UmociUnpackTests : IDisposable
{
    protected const UnixFileMode Mode644 = (UnixFileMode)0x1A4;
    protected const UnixFileMode Mode755 = (UnixFileMode)0x1ED;
    protected const UnixFileMode Mode700 = (UnixFileMode)0x1C0;

    private readonly TempDirectory _dir = new();
    private int _time = 1_600_000_000;
    private int _unpacks;

    /// <summary>The test's own temporary directory.</summary>
    protected TempDirectory Temp => _dir;

    public void Dispose()
    {
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Whiteouts_of_files_and_directories()
    {
        await AssertSameAsUmociAsync(
            [Dir("a"), File("a/keep", "k"), Dir("a/sub"), Dir("a/sub/deep"), File("a/sub/deep/f", "f"), File("b", "b"), File("c", "c")],
            [Whiteout("a/sub"), Whiteout("b")]);
    }

    [Fact]
    public async Task Opaque_directories_hide_lower_content_but_keep_their_own()
    {
        await AssertSameAsUmociAsync(
            [Dir("d", Mode700), File("d/old", "o"), Dir("d/sub"), File("d/sub/older", "o"), Dir("e"), File("e/untouched", "u")],
            [Dir("d"), File("d/new", "n"), Opaque("d"), Dir("d/sub"), File("d/sub/newer", "n")]);
    }

    [Fact]
    public async Task An_opaque_marker_without_the_directory_entry_keeps_the_lower_directory()
    {
        await AssertSameAsUmociAsync(
            [Dir("d", Mode700, uid: 7, gid: 8), File("d/old", "o")],
            [Opaque("d"), File("d/new", "n")]);
    }

    [Fact]
    public async Task An_opaque_marker_at_the_root_hides_every_lower_entry()
    {
        await AssertSameAsUmociAsync(
            [File("a", "a"), Dir("d"), File("d/x", "x")],
            [File("b", "b"), File(".wh..wh..opq", "")],
            [File("c", "c"), File("./.wh..wh..opq", ""), File("b2", "b2")]);
    }

    [Fact]
    public async Task The_root_entry_gives_the_root_its_mode_and_owner()
    {
        await AssertSameAsUmociAsync([Dir("./", Mode700, uid: 5, gid: 6), File("a", "a")], [File("b", "b")]);
        await AssertSameAsUmociAsync([Dir(".", uid: 1, gid: 1), File("a", "a")], [Dir("./", Mode700, uid: 5, gid: 6), File("b", "b")], [File(".wh..wh..opq", "")]);
    }

    [Fact]
    public async Task A_directory_replaced_by_a_file_and_a_file_by_a_directory()
    {
        await AssertSameAsUmociAsync(
            [File("x", "file"), Dir("p"), File("p/q", "q"), Dir("p/r"), File("p/r/s", "s")],
            [Whiteout("x"), Dir("x"), File("x/y", "y"), Whiteout("p"), File("p", "now a file")]);
    }

    [Fact]
    public async Task A_non_directory_replaces_a_lower_directory_without_a_whiteout()
    {
        await AssertSameAsUmociAsync(
            [Dir("p"), File("p/q", "q"), File("x", "file")],
            [File("p", "now a file"), Dir("x"), File("x/y", "y")]);
    }

    [Fact]
    public async Task A_symlink_replaced_by_a_directory_and_a_directory_by_a_symlink()
    {
        await AssertSameAsUmociAsync(
            [Dir("real"), File("real/f", "r"), Symlink("s", "real"), Dir("d"), File("d/f", "d")],
            [Whiteout("s"), Dir("s"), File("s/own", "own"), Symlink("d", "real")]);
    }

    [Fact]
    public async Task Hard_links_whose_target_is_later_whited_out_or_replaced()
    {
        await AssertSameAsUmociAsync(
            [Dir("h"), File("h/a", "shared"), HardLink("h/b", "h/a"), HardLink("h/c", "h/a"), File("t", "t1"), HardLink("u", "t")],
            [Whiteout("h/a"), File("t", "t2")]);
    }

    [Fact]
    public async Task A_hard_link_in_an_upper_layer_to_a_lower_file_that_a_later_layer_replaces()
    {
        await AssertSameAsUmociAsync(
            [File("t", "one")],
            [HardLink("l", "t")],
            [File("t", "three")]);
    }

    [Fact]
    public async Task A_hard_link_keeps_the_bytes_its_target_had_when_a_later_entry_of_its_layer_rewrites_it()
    {
        await AssertSameAsUmociAsync(
            [File("t", "old"), File("u", "u1")],
            [HardLink("l", "t"), File("t", "new"), HardLink("m", "u"), Whiteout("u"), File("u", "u2")]);
    }

    [Fact]
    public async Task A_hard_link_chain_across_layers_whose_first_target_is_deleted()
    {
        await AssertSameAsUmociAsync(
            [File("t", "one")],
            [HardLink("l1", "t")],
            [HardLink("l2", "l1"), Whiteout("t")]);
    }

    [Fact]
    public async Task Modes_owners_and_times_survive()
    {
        await AssertSameAsUmociAsync(
            [Dir("bin"), File("bin/su", "su", (UnixFileMode)0xDED, uid: 0, gid: 0), File("bin/sg", "sg", (UnixFileMode)0x5ED),
                Dir("tmp", (UnixFileMode)0x3FF), Dir("root", Mode700), File("root/.secret", "s", (UnixFileMode)0x180),
                Dir("home"), Dir("home/u", Mode700, uid: 1000, gid: 1000), File("home/u/f", "u", uid: 1000, gid: 100)],
            [File("home/u/g", "g", uid: 1234, gid: 5678)]);
    }

    [Fact]
    public async Task A_file_time_with_a_fraction_of_a_second_keeps_it()
    {
        var file = File("a", "a");
        file.ModificationTime = DateTimeOffset.FromUnixTimeMilliseconds(1_600_000_000_250);
        await AssertSameAsUmociAsync([file], [File("b", "b")]);
    }

    [Fact]
    public async Task Empty_and_deep_directories()
    {
        var deep = string.Join('/', Enumerable.Range(0, 40).Select(i => $"level{i}"));
        await AssertSameAsUmociAsync(
            [Dir("empty"), Dir("empty2", Mode700), File(deep + "/leaf", "deep")],
            [Dir("empty3"), File(deep + "/leaf2", "deeper")]);
    }

    [Fact]
    public async Task A_whiteout_of_something_that_is_not_below_changes_nothing()
    {
        await AssertSameAsUmociAsync(
            [File("a", "a")],
            [Whiteout("missing"), Whiteout("nodir/missing"), File("b", "b")]);
    }

    [Fact]
    public async Task Entries_re_added_after_a_whiteout_in_the_same_or_a_later_layer()
    {
        await AssertSameAsUmociAsync(
            [Dir("a"), File("a/x", "x"), File("f", "f1"), Dir("g"), File("g/old", "o")],
            [Whiteout("a"), Dir("a"), File("a/y", "y"), File("f", "f2"), Whiteout("f")],
            [Whiteout("g"), File("g", "g as a file")],
            [Whiteout("g"), Dir("g"), File("g/new", "n")]);
    }

    [Fact]
    public async Task Dot_slash_prefixes_and_trailing_slashes()
    {
        await AssertSameAsUmociAsync(
            [Dir("./"), Dir("./a/"), File("./a/f", "f"), Dir("./b//c/"), File("b/c/g", "g")],
            [File("./a/.wh.f", ""), Dir("./b/c/"), File("./b/c/h", "h"), File("./a/.wh..wh..opq", "")]);
    }

    [Fact]
    public async Task Parent_directories_implied_but_not_listed()
    {
        await AssertSameAsUmociAsync(
            [File("a/b/c", "c"), Dir("x", Mode700)],
            [File("a/b/d", "d"), File("x/y/z", "z")]);
    }

    [Fact]
    public async Task Hard_links_whose_target_is_replaced_by_a_directory_or_hidden_by_its_parent()
    {
        await AssertSameAsUmociAsync(
            [File("t", "t"), HardLink("l", "t"), Dir("d"), File("d/t", "dt"), HardLink("m", "d/t"), Dir("o"), File("o/t", "ot"), HardLink("n", "o/t")],
            [Dir("t"), File("t/x", "x"), Whiteout("d"), Opaque("o")]);
    }

    [Fact]
    public async Task Duplicate_entries_in_one_layer_leave_the_last()
    {
        await AssertSameAsUmociAsync(
            [File("z", "lower"), Dir("b"), File("b/lower", "l")],
            [File("a", "1"), Dir("a"), File("a/x", "x"), Dir("b"), File("b/x", "x"), File("b", "file"), File("c", "c1"), File("c", "c2"), HardLink("z", "c")]);
    }

    [Fact]
    public async Task A_hard_link_to_a_symlink_that_a_later_layer_deletes_and_a_fifo()
    {
        await AssertSameAsUmociAsync(
            [Symlink("s", "target"), HardLink("s2", "s"), new PaxTarEntry(TarEntryType.Fifo, "p") { Mode = Mode644, ModificationTime = NextTime() }],
            [Whiteout("s")]);
    }

    [Fact]
    public async Task A_hard_link_in_the_layer_that_whites_out_its_target_keeps_the_lower_bytes()
    {
        await AssertSameAsUmociAsync([File("t", "old")], [HardLink("l", "t"), Whiteout("t")]);
    }

    [Fact]
    public async Task A_directory_over_a_directory_takes_the_new_metadata_and_keeps_the_lower_children()
    {
        await AssertSameAsUmociAsync([Dir("d", Mode700, 5, 6), File("d/a", "a")], [Dir("d", (UnixFileMode)0x1E8, 9, 9), File("d/b", "b")]);
    }

    [Fact]
    public async Task Non_ascii_and_long_names()
    {
        await AssertSameAsUmociAsync([Dir("dé"), File("dé/ünï", "u"), File(new string('n', 150), "long")], [Whiteout("dé/ünï"), File("dé/日本", "j")]);
    }

    [Fact]
    public async Task A_whited_out_directory_re_added_deeper_in_the_same_layer()
    {
        await AssertSameAsUmociAsync([Dir("a"), File("a/x", "x"), Dir("a/b"), File("a/b/y", "y")], [Whiteout("a"), File("a/b/c", "c")]);
    }

    [Fact]
    public async Task Writes_through_a_lower_layers_symlinks_land_where_the_symlinks_lead_inside_the_root()
    {
        await AssertSameAsUmociAsync(
            [Dir("usr"), Dir("usr/bin"), Symlink("bin", "usr/bin"), Symlink("etc", "/host/etc"), Symlink("up", "../../.."), Dir("real"), Symlink("abs", "/real")],
            [File("bin/foo", "foo"), File("etc/passwd", "p"), File("up/x", "x"), Dir("abs/sub"), File("abs/sub/f", "f"), File("abs/.wh.gone", "")]);
    }

    [Fact]
    public async Task A_hard_link_through_a_symlinked_directory_and_a_whiteout_through_one()
    {
        await AssertSameAsUmociAsync(
            [Dir("real"), File("real/f", "f"), File("real/g", "g"), Symlink("link", "real")],
            [HardLink("h", "link/f"), Whiteout("link/g")]);
    }

    [Fact]
    public async Task A_file_written_through_a_directory_a_lower_layer_made_a_symlink_lands_where_it_leads()
    {
        await AssertSameAsUmociAsync(
            [Dir("real"), File("real/old", "o"), File("real/f", "lower"), Symlink("d", "real")],
            [File("d/f", "upper"), Dir("d/sub"), File("d/sub/new", "n")]);
    }

    [Fact]
    public async Task A_symlink_and_a_file_through_it_in_one_layer_hide_the_lower_file_it_lands_on()
    {
        await AssertSameAsUmociAsync(
            [Dir("real"), File("real/f", "lower"), File("real/g", "g")],
            [Symlink("d", "real"), File("d/f", "upper"), Whiteout("d/g")]);
    }

    [Fact]
    public async Task Writes_through_a_symlink_a_later_layer_deletes_or_replaces_stay_where_they_landed()
    {
        await AssertSameAsUmociAsync(
            [Dir("real"), Dir("other"), Symlink("d", "real"), Symlink("e", "real"), Symlink("hop", "d")],
            [File("d/f", "f"), File("e/g", "g"), File("hop/h", "h")],
            [Whiteout("d"), Dir("e"), File("e/new", "n"), Symlink("hop", "other"), File("hop/i", "i")]);
    }

    // --- the harness ---

    /// <summary>Unpacks the layered image and our flattened one with umoci and asserts the trees are equal.</summary>
    protected virtual async Task AssertSameAsUmociAsync(params TarEntry[][] layers)
    {
        await using var image = Image.Scratch("dockerless-test/umoci", "v1");
        foreach (var entries in layers) image.AddLayer(RawTarLayer.Of(entries));

        var export = new MemoryStream();
        await image.ExportAsync(export);
        AssertWellFormedExport(export.ToArray());

        var differences = await UmociFlattenComparison.DifferencesAsync(image, _dir[$"unpack-{++_unpacks}"]);
        Assert.True(differences.Count == 0, string.Join('\n', differences));
    }

    /// <summary>
    /// The export writes a hard link after its target and holds no whiteouts. (A path may appear
    /// twice when one layer holds it twice: the last one wins on extraction, as in the layer.)
    /// </summary>
    private static void AssertWellFormedExport(byte[] tar)
    {
        using var reader = new TarReader(new MemoryStream(tar));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.GetNextEntry() is { } entry)
        {
            var name = entry.Name.TrimEnd('/');
            seen.Add(name);
            Assert.False(name.Split('/')[^1].StartsWith(".wh.", StringComparison.Ordinal), $"the export holds the whiteout {name}");
            if (entry.EntryType == TarEntryType.HardLink) Assert.True(seen.Contains(entry.LinkName), $"hard link {name} comes before its target {entry.LinkName}");
        }
    }

    // --- entries ---

    protected DateTimeOffset NextTime() => DateTimeOffset.FromUnixTimeSeconds(_time += 60);

    protected PaxTarEntry File(string name, string text, UnixFileMode mode = Mode644, int uid = 0, int gid = 0) => new(TarEntryType.RegularFile, name)
    {
        DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)),
        Mode = mode,
        Uid = uid,
        Gid = gid,
        ModificationTime = NextTime(),
    };

    protected PaxTarEntry Dir(string name, UnixFileMode mode = Mode755, int uid = 0, int gid = 0) => new(TarEntryType.Directory, name.EndsWith('/') ? name : name + "/")
    {
        Mode = mode,
        Uid = uid,
        Gid = gid,
        ModificationTime = NextTime(),
    };

    protected PaxTarEntry Symlink(string name, string target) => new(TarEntryType.SymbolicLink, name) { LinkName = target, Mode = (UnixFileMode)0x1FF, ModificationTime = NextTime() };

    protected PaxTarEntry HardLink(string name, string target) => new(TarEntryType.HardLink, name) { LinkName = target, Mode = Mode644, ModificationTime = NextTime() };

    protected PaxTarEntry Whiteout(string path)
    {
        var slash = path.LastIndexOf('/');
        return File(slash < 0 ? ".wh." + path : $"{path[..slash]}/.wh.{path[(slash + 1)..]}", "");
    }

    protected PaxTarEntry Opaque(string directory) => File(directory + "/.wh..wh..opq", "");
}
