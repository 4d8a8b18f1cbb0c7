using System.Formats.Tar;
using Dockerless.IntegrationTests.Fixtures;
using Dockerless.Unpacking;
using TempDirectory = Dockerless.IntegrationTests.Fixtures.TempDirectory;

namespace Dockerless.Tests.Hostile;

/// <summary>
/// Hostile layers given to <see cref="Image.UnpackAsync"/>, which, unlike export, writes on the
/// host: every hostile archive of <see cref="HostileLayerTests"/> gets the same refusal or is
/// contained, and symlinks planted by a lower layer (absolute, climbing, to a directory outside)
/// never let a later layer write, link, delete or change anything outside the root. Each test
/// runs with openat2(2) and with the component walk that replaces it on older kernels.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HostileUnpackTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _outside;
    private readonly string _root;

    public HostileUnpackTests()
    {
        _outside = Directory.CreateDirectory(_dir["outside"]).FullName;
        File.WriteAllText(Path.Combine(_outside, "victim"), "victim");
        _root = _dir["root"];
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// Where unpack must answer otherwise than export, which only rewrites entries: "etc -> /etc"
    /// resolves inside the root to itself, so a file through it meets a symlink loop (umoci too).
    /// </summary>
    private static readonly Dictionary<string, string> s_unpackRefuses = new(StringComparer.Ordinal)
    {
        ["symlink to absolute, then a file through it"] = nameof(InvalidLayerException),
    };

    public static TheoryData<string, string?, bool> Cases()
    {
        var cases = new TheoryData<string, string?, bool>();
        foreach (var row in HostileLayerTests.Cases())
        {
            var name = (string)row[0];
            var expected = s_unpackRefuses.TryGetValue(name, out var refused) ? refused : (string?)row[1];
            cases.Add(name, expected, true);
            cases.Add(name, expected, false);
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_hostile_layer_gets_the_same_refusal_as_export_or_is_contained(string name, string? expected, bool openat2)
    {
        await using var image = Image.Scratch("hostile");
        image.AddLayer(RawTarLayer.Of(RawTarLayer.File("base/file", "base")));
        image.AddLayer(new RawTarLayer(HostileLayerTests.Layer(name)));

        var error = await HostileLayerTests.Record(() => image.UnpackAsync(_root, Options(openat2)));

        Assert.Equal(expected, error?.GetType().Name);
        Assert.False(File.Exists("/tmp/evil"));
        AssertOutsideUntouched();
        if (error is not null) Assert.False(Directory.Exists(_root), "a failed unpack left the directory it made");
        else Assert.Equal("base", File.ReadAllText(Path.Combine(_root, "base/file")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Writes_through_planted_symlinks_stay_inside_the_root(bool openat2)
    {
        var climbing = string.Concat(Enumerable.Repeat("../", 12)) + _outside.TrimStart('/');
        await using var image = Image.Scratch("hostile");
        image.AddLayer(RawTarLayer.Of(
            RawTarLayer.Link(TarEntryType.SymbolicLink, "escape", _outside),
            RawTarLayer.Link(TarEntryType.SymbolicLink, "climb", climbing),
            RawTarLayer.Link(TarEntryType.SymbolicLink, "up", "../../.."),
            new PaxTarEntry(TarEntryType.Directory, "d/"),
            RawTarLayer.Link(TarEntryType.SymbolicLink, "d/parent", "..")));
        image.AddLayer(RawTarLayer.Of(
            RawTarLayer.File("escape/pwned", "x"), RawTarLayer.File("climb/pwned2", "x"), RawTarLayer.File("up/pwned3", "x"),
            RawTarLayer.File("d/parent/pwned4", "x"), new PaxTarEntry(TarEntryType.Directory, "escape/made/"),
            RawTarLayer.Link(TarEntryType.SymbolicLink, "escape/victim", "/etc/shadow")));

        await image.UnpackAsync(_root, Options(openat2));

        AssertOutsideUntouched();
        var inside = Path.Combine(_root, _outside.TrimStart('/'));
        Assert.Equal("x", File.ReadAllText(Path.Combine(inside, "pwned")));
        Assert.Equal("x", File.ReadAllText(Path.Combine(inside, "pwned2")));
        Assert.True(File.Exists(Path.Combine(_root, "pwned3")));
        Assert.True(File.Exists(Path.Combine(_root, "pwned4")));
        Assert.True(Directory.Exists(Path.Combine(inside, "made")));
        Assert.Equal("/etc/shadow", new FileInfo(Path.Combine(inside, "victim")).LinkTarget);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Whiteouts_and_opaque_markers_through_a_planted_symlink_delete_nothing_outside(bool openat2)
    {
        await using var image = Image.Scratch("hostile");
        image.AddLayer(RawTarLayer.Of(RawTarLayer.Link(TarEntryType.SymbolicLink, "escape", _outside), RawTarLayer.Link(TarEntryType.SymbolicLink, "up", "../..")));
        image.AddLayer(RawTarLayer.Of(RawTarLayer.File("escape/.wh.victim", ""), RawTarLayer.File("escape/.wh..wh..opq", ""), RawTarLayer.File("up/.wh..wh..opq", "")));

        await image.UnpackAsync(_root, Options(openat2));

        AssertOutsideUntouched();
        // "up" leads to the root, so its opaque marker emptied the root of what the first layer wrote.
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_hard_link_through_a_planted_symlink_to_a_file_outside_is_refused(bool openat2)
    {
        await using var image = Image.Scratch("hostile");
        image.AddLayer(RawTarLayer.Of(RawTarLayer.Link(TarEntryType.SymbolicLink, "escape", _outside)));
        image.AddLayer(RawTarLayer.Of(RawTarLayer.Link(TarEntryType.HardLink, "stolen", "escape/victim")));

        var error = await Assert.ThrowsAsync<InvalidLayerException>(() => image.UnpackAsync(_root, Options(openat2)));

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.Equal(1u, Dockerless.Layers.HostFileInfo.Read(Path.Combine(_outside, "victim")).LinkCount);
        Assert.False(Directory.Exists(_root));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_file_over_a_planted_symlink_replaces_the_link_and_never_writes_through_it(bool openat2)
    {
        await using var image = Image.Scratch("hostile");
        image.AddLayer(RawTarLayer.Of(RawTarLayer.Link(TarEntryType.SymbolicLink, "victim", Path.Combine(_outside, "victim"))));
        image.AddLayer(RawTarLayer.Of(RawTarLayer.File("victim", "overwritten"), new PaxTarEntry(TarEntryType.Directory, "victim/")));

        await image.UnpackAsync(_root, Options(openat2));

        AssertOutsideUntouched();
        Assert.True(Directory.Exists(Path.Combine(_root, "victim")));
    }

    [Theory]
    [InlineData("loop/x", "symlinks in a loop")]
    [InlineData("file/x", "a path through a regular file")]
    public async Task A_path_that_cannot_be_a_directory_is_a_clear_error_naming_the_entry(string path, string because)
    {
        await using var image = Image.Scratch("hostile");
        image.AddLayer(RawTarLayer.Of(RawTarLayer.Link(TarEntryType.SymbolicLink, "loop", "loop2"), RawTarLayer.Link(TarEntryType.SymbolicLink, "loop2", "loop"), RawTarLayer.File("file", "f")));
        image.AddLayer(RawTarLayer.Of(RawTarLayer.File(path, "x")));

        var error = await Assert.ThrowsAsync<InvalidLayerException>(() => image.UnpackAsync(_root));

        Assert.Equal(path, error.Entry);
        Assert.False(Directory.Exists(_root), because);
    }

    [Fact]
    public async Task A_path_longer_than_PATH_MAX_is_refused()
    {
        await using var image = Image.Scratch("hostile");
        image.AddLayer(RawTarLayer.Of(RawTarLayer.File(string.Join('/', Enumerable.Repeat("abcdefgh", 600)), "x")));

        var error = await Assert.ThrowsAsync<InvalidLayerException>(() => image.UnpackAsync(_root));

        Assert.Contains("longer than 4096", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_directory_that_is_not_empty_is_refused_and_left_as_it_was()
    {
        Directory.CreateDirectory(_root);
        File.WriteAllText(Path.Combine(_root, "mine"), "mine");
        await using var image = Image.Scratch("hostile");
        image.AddLayer(RawTarLayer.Of(RawTarLayer.File("mine", "theirs")));

        var error = await Assert.ThrowsAsync<IOException>(() => image.UnpackAsync(_root));

        Assert.Contains("is not empty", error.Message, StringComparison.Ordinal);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(_root, "mine")));
    }

    [Fact]
    public async Task A_failure_in_an_empty_directory_given_empties_it_again_and_keeps_it()
    {
        Directory.CreateDirectory(_root);
        await using var image = Image.Scratch("hostile");
        image.AddLayer(RawTarLayer.Of(RawTarLayer.File("a/b", "written"), RawTarLayer.Link(TarEntryType.HardLink, "c", "missing")));

        await Assert.ThrowsAsync<InvalidLayerException>(() => image.UnpackAsync(_root));

        Assert.Empty(Directory.EnumerateFileSystemEntries(_root));
    }

    [Fact]
    public async Task A_cancelled_unpack_removes_what_it_wrote()
    {
        await using var image = Image.Scratch("hostile");
        image.AddLayer(RawTarLayer.Of(Enumerable.Range(0, 200).Select(i => RawTarLayer.File($"f{i}", "x"))));
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => image.UnpackAsync(_root, cancellationToken: cancel.Token));

        Assert.False(Directory.Exists(_root));
    }

    private static UnpackOptions Options(bool openat2) => new() { UseOpenat2 = openat2 };

    /// <summary>The directory outside the root holds its victim, unchanged, and nothing else.</summary>
    private void AssertOutsideUntouched()
    {
        Assert.Equal(["victim"], Directory.EnumerateFileSystemEntries(_outside).Select(Path.GetFileName));
        Assert.Equal("victim", File.ReadAllText(Path.Combine(_outside, "victim")));
        Assert.Equal(["outside"], Directory.EnumerateFileSystemEntries(_dir.Path).Select(Path.GetFileName).Where(n => n != "root"));
    }
}
