using System.Formats.Tar;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.Tests.Layers;

/// <summary>
/// Whiteouts, opaque directories and files replacing directories deep in a tree: the flatten
/// keeps its paths as a tree of components (bench/store.sh measures 10,000 levels), and what it
/// hides at depth must be what it hides near the root; and many entries in one directory, where
/// every other one is whited out (bench/store.sh measures a million).
/// </summary>
public sealed class DeepTreeTests
{
    private const int Depth = 2000;
    private const int Width = 100_000;

    private static string Deep(int depth) => string.Join('/', Enumerable.Repeat("d", depth));

    private static PaxTarEntry Directory(string path) => new(TarEntryType.Directory, path);

    /// <summary>The names in the image's export, without a directory's trailing slash.</summary>
    private static async Task<List<string>> ExportedNamesAsync(Image image)
    {
        using var output = new MemoryStream();
        await image.ExportAsync(output);
        output.Position = 0;
        var names = new List<string>();
        await using var reader = new TarReader(output);
        while (await reader.GetNextEntryAsync() is { } entry) names.Add(entry.Name.TrimEnd('/'));
        return names;
    }

    [Fact]
    public async Task Whiteouts_and_an_opaque_directory_deep_in_a_tree_hide_what_they_hide_near_the_root()
    {
        var lower = new List<TarEntry>();
        for (var depth = 1; depth <= Depth; depth++) lower.Add(Directory(Deep(depth)));
        lower.Add(RawTarLayer.File($"{Deep(Depth)}/gone", "x"));
        lower.Add(RawTarLayer.File($"{Deep(Depth)}/kept", "x"));
        lower.Add(Directory($"{Deep(Depth / 2)}/o"));
        lower.Add(RawTarLayer.File($"{Deep(Depth / 2)}/o/hidden-by-opaque", "x"));
        lower.Add(RawTarLayer.File($"{Deep(Depth / 4)}/replaced/below", "x"));
        var upper = new List<TarEntry>
        {
            RawTarLayer.File($"{Deep(Depth)}/.wh.gone", ""),
            RawTarLayer.File($"{Deep(Depth / 2)}/o/.wh..wh..opq", ""),
            RawTarLayer.File($"{Deep(Depth / 2)}/o/new", "x"),
            RawTarLayer.File($"{Deep(Depth / 4)}/replaced", "now a file"),
        };
        await using var image = TestLayer.ImageOf("deep", "v1", RawTarLayer.Of(lower), RawTarLayer.Of(upper));

        var names = await ExportedNamesAsync(image);

        Assert.Contains($"{Deep(Depth)}/kept", names);
        Assert.Contains($"{Deep(Depth / 2)}/o/new", names);
        Assert.Contains($"{Deep(Depth / 2)}/o", names);
        Assert.Contains($"{Deep(Depth / 4)}/replaced", names);
        Assert.DoesNotContain($"{Deep(Depth)}/gone", names);
        Assert.DoesNotContain($"{Deep(Depth / 4)}/replaced/below", names);
        Assert.DoesNotContain($"{Deep(Depth / 2)}/o/hidden-by-opaque", names);
        Assert.Equal(Depth, names.Count(n => n.Split('/').All(c => c == "d")));
    }

    [Fact]
    public async Task Whiteouts_of_every_other_entry_of_a_wide_directory_leave_exactly_the_others()
    {
        var lower = new List<TarEntry> { Directory("w") };
        for (var i = 0; i < Width; i++) lower.Add(RawTarLayer.File($"w/{i:D6}", ""));
        var upper = new List<TarEntry>();
        for (var i = 0; i < Width; i += 2) upper.Add(RawTarLayer.File($"w/.wh.{i:D6}", ""));
        upper.Add(RawTarLayer.File("w/new", "x"));
        await using var image = TestLayer.ImageOf("wide", "v1", RawTarLayer.Of(lower), RawTarLayer.Of(upper));

        var names = await ExportedNamesAsync(image);

        var expected = Enumerable.Range(0, Width).Where(i => i % 2 == 1).Select(i => $"w/{i:D6}").Append("w/new").Append("w").Order(StringComparer.Ordinal);
        Assert.Equal(expected, names.Where(n => n.StartsWith('w')).Order(StringComparer.Ordinal));
    }
}
