using System.Formats.Tar;

namespace Dockerless.Building;

/// <summary>
/// Reads single small files out of an image's layers without unpacking them: the top layer that
/// holds the file (or deletes it) decides, so only the layers above it are read, each only as far
/// as needed. BuildKit reads <c>/etc/passwd</c> and <c>/etc/group</c> so for <c>--chown</c> and USER.
/// </summary>
internal static class LayerFiles
{
    /// <summary>The largest file read this way: user databases are small, and this is no general reader.</summary>
    private const int Limit = 4 * 1024 * 1024;

    /// <summary>The contents of <paramref name="path"/> (normalised, <c>etc/passwd</c>) in the merged <paramref name="layers"/>, or null when no layer has it.</summary>
    public static async Task<byte[]?> ReadAsync(IReadOnlyList<Layer> layers, string path, CancellationToken cancellationToken)
    {
        for (var i = layers.Count - 1; i >= 0; i--)
        {
            var (found, contents) = await FindAsync(layers[i], path, cancellationToken).ConfigureAwait(false);
            if (found) return contents;
        }
        return null;
    }

    /// <summary>
    /// Which of <paramref name="paths"/> (normalised) are directories in the merged
    /// <paramref name="layers"/>: every layer's headers are read, lowest first, with its whiteouts.
    /// </summary>
    public static async Task<HashSet<string>> DirectoriesAsync(IReadOnlyList<Layer> layers, IReadOnlyCollection<string> paths, CancellationToken cancellationToken)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var layer in layers)
        {
            var stream = await layer.OpenUncompressedAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var reader = new TarReader(stream, leaveOpen: true);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
                    {
                        if (TarPath.Normalize(entry.Name) is not { Length: > 0 } name) continue;
                        var (opaque, target) = Whiteouts.Parse(name);
                        if (target is not null)
                        {
                            present.RemoveWhere(p => opaque ? p.StartsWith(target + "/", StringComparison.Ordinal) : p == target || p.StartsWith(target + "/", StringComparison.Ordinal));
                        }
                        else
                        {
                            // An entry implies its parents, which a layer need not list.
                            present.UnionWith(TarPath.Ancestors(name).Where(paths.Contains));
                            if (!paths.Contains(name)) continue;
                            if (entry.EntryType == TarEntryType.Directory) present.Add(name);
                            else present.Remove(name);
                        }
                    }
                }
            }
        }
        return present;
    }

    /// <summary>Whether the layer decides <paramref name="path"/> (holds it, or deletes it or a parent), and its contents when it holds it as a file.</summary>
    private static async Task<(bool Found, byte[]? Contents)> FindAsync(Layer layer, string path, CancellationToken cancellationToken)
    {
        var deletions = DeletionsOf(path);
        var stream = await layer.OpenUncompressedAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var reader = new TarReader(stream, leaveOpen: true);
            await using (reader.ConfigureAwait(false))
            {
                var deleted = false;
                while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    var name = TarPath.Normalize(entry.Name);
                    if (name == path)
                    {
                        if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null) return (true, null);
                        if (entry.Length > Limit) throw new InvalidLayerException(layer.Digest.ToString(), "/" + path, $"{entry.Length} bytes, more than a user database holds");
                        var contents = new byte[entry.Length];
                        await entry.DataStream.ReadExactlyAsync(contents, cancellationToken).ConfigureAwait(false);
                        return (true, contents);
                    }
                    if (name is not null && deletions.Contains(name)) deleted = true;
                }
                return (deleted, null);
            }
        }
    }

    /// <summary>The whiteout names that delete <paramref name="path"/> in a layer: its own, a parent's, or an opaque parent.</summary>
    private static HashSet<string> DeletionsOf(string path)
    {
        var names = new HashSet<string>(StringComparer.Ordinal) { Whiteouts.For(path) };
        foreach (var ancestor in TarPath.Ancestors(path))
        {
            names.Add(Whiteouts.For(ancestor));
            names.Add(Whiteouts.OpaqueFor(ancestor));
        }
        return names;
    }
}
