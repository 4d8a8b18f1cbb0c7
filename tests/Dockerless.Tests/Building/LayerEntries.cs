using System.Formats.Tar;

namespace Dockerless.Tests.Building;

/// <summary>Reads what a built layer holds, for the builder's tests.</summary>
internal static class LayerEntries
{
    /// <summary>Every entry of <paramref name="layer"/>, data not kept.</summary>
    public static async Task<List<TarEntry>> AllAsync(Layer layer)
    {
        await using var stream = await layer.OpenUncompressedAsync();
        using var reader = new TarReader(stream);
        var entries = new List<TarEntry>();
        while (await reader.GetNextEntryAsync() is { } entry) entries.Add(entry);
        return entries;
    }

    /// <summary>The names of the entries that are not directories.</summary>
    public static async Task<List<string>> FilesAsync(Layer layer) =>
        [.. (await AllAsync(layer)).Where(e => e.EntryType != TarEntryType.Directory).Select(e => e.Name)];

    /// <summary>The entry named <paramref name="path"/> (a directory's name without its slash).</summary>
    public static async Task<TarEntry> OneAsync(Layer layer, string path) =>
        (await AllAsync(layer)).FirstOrDefault(e => e.Name.TrimEnd('/') == path) ?? throw new InvalidOperationException($"{path} is not in the layer");

    /// <summary>The text of the file <paramref name="path"/>.</summary>
    public static async Task<string> ContentAsync(Layer layer, string path)
    {
        await using var stream = await layer.OpenUncompressedAsync();
        using var reader = new TarReader(stream);
        while (await reader.GetNextEntryAsync(copyData: true) is { } entry)
        {
            if (entry.Name == path) return await new StreamReader(entry.DataStream!).ReadToEndAsync();
        }
        throw new InvalidOperationException($"{path} is not in the layer");
    }
}
