using System.Formats.Tar;
using Dockerless.IntegrationTests.Fixtures;
using static Dockerless.Tests.Layers.DeepTreeLayers;

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
        var lower = DeepLower(Depth);
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
        var upper = WideWhiteouts(Width).Append(RawTarLayer.File("w/new", "x"));
        await using var image = TestLayer.ImageOf("wide", "v1", RawTarLayer.Of(WideLower(Width)), RawTarLayer.Of(upper));

        var names = await ExportedNamesAsync(image);

        var expected = WideSurvivors(Width).Select(name => $"w/{name}").Append("w/new").Append("w").Order(StringComparer.Ordinal);
        Assert.Equal(expected, names.Where(n => n.StartsWith('w')).Order(StringComparer.Ordinal));
    }
}
