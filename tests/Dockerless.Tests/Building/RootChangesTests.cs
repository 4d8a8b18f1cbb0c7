using System.Formats.Tar;
using Dockerless.Building.RunSteps;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.Tests.Building;

/// <summary>
/// How the before/after walk turns what a RUN did into a layer, on a real directory (the
/// differential corpus checks the same against docker build with a runtime).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RootChangesTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Added_changed_and_deleted_files_become_entries_and_whiteouts_with_their_parents()
    {
        Write("keep/same.txt", "same");
        Write("keep/changed.txt", "old");
        Write("keep/gone.txt", "gone");
        Write("tree/inside/deep.txt", "deep");
        var before = await BeforeAsync();

        Write("keep/changed.txt", "new");
        Write("new/made/file.txt", "made");
        File.Delete(_root["keep/gone.txt"]);
        Directory.Delete(_root["tree"], recursive: true);
        var entries = await EntriesAsync(before);

        Assert.Equal(["keep/", "keep/.wh.gone.txt", "keep/changed.txt", "new/", "new/made/", "new/made/file.txt", ".wh.tree"], entries.Keys.Order(StringComparer.Ordinal).OrderBy(k => k.StartsWith(".wh.", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_directory_removed_and_made_again_is_opaque_and_holds_only_its_new_contents()
    {
        Write("dir/old.txt", "old");
        Write("dir/sub/older.txt", "older");
        var before = await BeforeAsync();

        Directory.Delete(_root["dir"], recursive: true);
        Write("dir/new.txt", "new");
        var entries = await EntriesAsync(before);

        Assert.Equal(["dir/", "dir/.wh..wh..opq", "dir/new.txt"], entries.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_directory_whose_mode_changed_is_an_entry_but_one_whose_entries_changed_is_not()
    {
        Write("open/a.txt", "a");
        Write("busy/b.txt", "b");
        var before = await BeforeAsync();

        File.SetUnixFileMode(_root["open"], (UnixFileMode)0x1C0);
        File.Delete(_root["busy/b.txt"]);
        var entries = await EntriesAsync(before);

        Assert.Equal(["busy/.wh.b.txt", "open/"], entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((UnixFileMode)0x1C0, entries["open/"].Mode);
    }

    [Fact]
    public async Task An_empty_file_made_to_bind_onto_is_left_out_and_no_change_gives_no_layer()
    {
        Directory.CreateDirectory(_root["etc"]);
        var before = await BeforeAsync();
        File.WriteAllBytes(_root["etc/hosts"], []);
        var after = RootSnapshot.Take(_root.Path, default);

        Assert.Null(RootChanges.Collect(before, after, ["etc/hosts"], keepOwners: true));
        Write("etc/hosts", "written by the command");
        Assert.Contains("etc/hosts", await EntriesAsync(before, ["etc/hosts"]));
    }

    [Fact]
    public async Task Symbolic_links_and_hard_links_stay_links()
    {
        var before = await BeforeAsync();
        Write("h1", "x");
        File.CreateSymbolicLink(_root["link"], "h1");
        using (var ln = System.Diagnostics.Process.Start("ln", [_root["h1"], _root["h2"]])) await ln.WaitForExitAsync();
        var entries = await EntriesAsync(before);

        Assert.Equal(TarEntryType.SymbolicLink, entries["link"].EntryType);
        Assert.Equal("h1", entries["link"].LinkName);
        Assert.Equal(TarEntryType.HardLink, entries["h2"].EntryType);
        Assert.Equal("h1", entries["h2"].LinkName);
    }

    /// <summary>
    /// The snapshot before the "run", then a pause: file times tick coarsely (a few ms), and a
    /// change in the same tick as the files were made would look like none. A RUN starts long after.
    /// </summary>
    private async Task<RootSnapshot> BeforeAsync()
    {
        var before = RootSnapshot.Take(_root.Path, default);
        await Task.Delay(30);
        return before;
    }

    private void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_root[path])!);
        File.WriteAllText(_root[path], text);
    }

    private async Task<Dictionary<string, TarEntry>> EntriesAsync(RootSnapshot before, string[]? mountPoints = null)
    {
        var after = RootSnapshot.Take(_root.Path, default);
        var builder = RootChanges.Collect(before, after, mountPoints ?? [], keepOwners: true);
        Assert.NotNull(builder);
        await using var layer = await builder.BuildAsync();
        return (await LayerEntries.AllAsync(layer)).ToDictionary(e => e.Name, StringComparer.Ordinal);
    }
}
