using System.Formats.Tar;
using Dockerless.IntegrationTests.Fixtures;

namespace Dockerless.Tests.Layers;

/// <summary>
/// The lower layers of the deep and wide trees that export, flatten and unpack are checked
/// against (<see cref="DeepTreeTests"/>, <see cref="Unpacking.DeepTreeUnpackTests"/>), so that
/// each hides the same things the same way.
/// </summary>
internal static class DeepTreeLayers
{
    /// <summary>The modification time of every directory the layers list.</summary>
    public static readonly DateTimeOffset Time = new(2001, 2, 3, 4, 5, 6, TimeSpan.Zero);

    /// <summary><paramref name="depth"/> nested directories named "d".</summary>
    public static string Deep(int depth) => string.Join('/', Enumerable.Repeat("d", depth));

    /// <summary>A directory entry, 0755 unless told, of <see cref="Time"/>.</summary>
    public static PaxTarEntry Directory(string path, UnixFileMode mode = (UnixFileMode)0x1ED)
        => new(TarEntryType.Directory, path) { Mode = mode, ModificationTime = Time };

    /// <summary>
    /// <paramref name="depth"/> nested directories with "gone" and "kept" at the bottom, a directory
    /// "o" half way down holding "hidden-by-opaque", and "replaced/below" a quarter of the way down.
    /// </summary>
    public static List<TarEntry> DeepLower(int depth)
    {
        var lower = new List<TarEntry>();
        for (var level = 1; level <= depth; level++) lower.Add(Directory(Deep(level)));
        lower.Add(RawTarLayer.File($"{Deep(depth)}/gone", "x"));
        lower.Add(RawTarLayer.File($"{Deep(depth)}/kept", "x"));
        lower.Add(Directory($"{Deep(depth / 2)}/o"));
        lower.Add(RawTarLayer.File($"{Deep(depth / 2)}/o/hidden-by-opaque", "x"));
        lower.Add(RawTarLayer.File($"{Deep(depth / 4)}/replaced/below", "x"));
        return lower;
    }

    /// <summary>A directory "w" of <paramref name="width"/> empty files named by number.</summary>
    public static List<TarEntry> WideLower(int width)
    {
        var lower = new List<TarEntry> { Directory("w") };
        for (var i = 0; i < width; i++) lower.Add(RawTarLayer.File($"w/{i:D6}", ""));
        return lower;
    }

    /// <summary>Whiteouts of every other file of <see cref="WideLower"/>, the even ones.</summary>
    public static IEnumerable<TarEntry> WideWhiteouts(int width)
        => Enumerable.Range(0, (width + 1) / 2).Select(i => RawTarLayer.File($"w/.wh.{2 * i:D6}", ""));

    /// <summary>The names <see cref="WideWhiteouts"/> leaves of <see cref="WideLower"/>.</summary>
    public static IEnumerable<string> WideSurvivors(int width)
        => Enumerable.Range(0, width).Where(i => i % 2 == 1).Select(i => $"{i:D6}");
}
