namespace Dockerless.Layers;

/// <summary>
/// The entries of an image's layers that are written through a symlink, and where they land: an
/// upper layer's <c>d/f</c> over a lower layer's <c>d -&gt; real</c> is <c>real/f</c>, as umoci,
/// containerd and docker apply it (they follow the symlink inside the root). A flatten reads the
/// layers newest first and cannot see a lower layer's symlinks in time, so these are found first,
/// in one read of the layers oldest first that keeps only the symlinks and the entries they move.
/// </summary>
internal sealed class SymlinkRedirects
{
    private readonly Dictionary<(int Layer, int Position), Redirect> _redirects = [];

    /// <summary>Where an entry lands: its path, and for a hard link its target, resolved (null when as written).</summary>
    public readonly record struct Redirect(string? Path, string? LinkTarget);

    private SymlinkRedirects()
    {
    }

    /// <summary>None: what a single layer needs, whose entries pass in order and hide nothing below.</summary>
    public static SymlinkRedirects None { get; } = new();

    /// <summary>Reads <paramref name="layers"/> oldest first, as the entries' positions count them with the root kept.</summary>
    public static async Task<SymlinkRedirects> FindAsync(IReadOnlyList<Layer> layers, CancellationToken cancellationToken)
    {
        if (layers.Count < 2) return None;
        var redirects = new SymlinkRedirects();
        var symlinks = new SymlinkTree();
        for (var index = 0; index < layers.Count; index++)
        {
            var reader = new LayerTarReader(await layers[index].OpenUncompressedAsync(cancellationToken).ConfigureAwait(false), layers[index].Digest.ToString(), keepRoot: true);
            await using (reader.ConfigureAwait(false))
            {
                var position = -1;
                while (await reader.NextAsync(cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    position++;
                    if (entry.Path.Length == 0) continue;
                    var resolved = symlinks.Resolve(entry.Path);
                    var linkTarget = entry.LinkTarget is { } target ? symlinks.Resolve(target) : null;
                    if (resolved is not null || linkTarget is not null) redirects._redirects[(index, position)] = new Redirect(resolved, linkTarget);
                    Apply(symlinks, entry, resolved ?? entry.Path);
                }
            }
        }
        return redirects;
    }

    /// <summary>The entry's redirect, if it has one.</summary>
    public Redirect? Find(int layer, int position) => _redirects.TryGetValue((layer, position), out var redirect) ? redirect : null;

    /// <summary>What an entry, landing at <paramref name="path"/>, does to the symlinks.</summary>
    private static void Apply(SymlinkTree symlinks, LayerTarEntry entry, string path)
    {
        var (isOpaque, whitedOut) = Whiteouts.Parse(path);
        if (isOpaque) symlinks.Clear(whitedOut!);
        else if (whitedOut is not null) symlinks.Remove(whitedOut);
        else if (entry.Entry.EntryType == System.Formats.Tar.TarEntryType.SymbolicLink) symlinks.SetSymlink(path, entry.Entry.LinkName);
        else if (entry.IsDirectory) symlinks.SetDirectory(path);
        else symlinks.Remove(path);
    }
}
