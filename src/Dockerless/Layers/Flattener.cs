using System.Formats.Tar;

namespace Dockerless.Layers;

/// <summary>
/// Merges an image's layers into one filesystem tar, applying whiteouts (crane export). The layers
/// are read newest first: an entry is written the first time its path is met unless a
/// newer layer hid it (a whiteout of it or an ancestor, an opaque ancestor, a newer entry at the
/// same path, or a newer non-directory at an ancestor). An entry written through a symlink of a
/// lower layer, or of its own layer, is written where the symlink leads (<see cref="SymlinkRedirects"/>,
/// found in a first read when there are several layers). The newest root entry (<c>./</c>) is written
/// too, as <c>./</c>: it carries the root's mode, owner and time, which appliers set from it.
/// Memory holds a tree of the paths met (<see cref="PathTree"/>) and records of what newer layers
/// hid, never file data.
/// Hard links need care: a link whose target a newer layer replaced or deleted must still get
/// the old bytes, so such a target is written under the link's name. When the target was passed
/// before the link in the same layer, that layer is read once more at the end for it (rare).
/// </summary>
internal sealed class Flattener(IReadOnlyList<Layer> layers, ReproducibleTarWriter writer)
{
    /// <summary>What the newer layers read so far hold, hide and delete.</summary>
    private readonly PathTree _tree = new();
    /// <summary>Hard links waiting for their target (by target path) further down.</summary>
    private readonly Dictionary<string, List<PendingLink>> _waiting = new(StringComparer.Ordinal);
    /// <summary>
    /// Hard links of the layer being read whose target was not met before them in it: a link names
    /// what is at its target when it is extracted, so they wait for the layers below, never for an
    /// entry later in their own layer. They join <see cref="_waiting"/> when the layer is done.
    /// </summary>
    private readonly Dictionary<string, List<PendingLink>> _waitingBelow = new(StringComparer.Ordinal);
    /// <summary>Per layer index: hidden entries (by position in its tar) whose bytes hard links still need.</summary>
    private readonly SortedDictionary<int, Dictionary<int, List<PendingLink>>> _rescues = [];
    private SymlinkRedirects _redirects = SymlinkRedirects.None;

    private sealed record PendingLink(string Path, TarEntry Entry, string Layer);

    /// <summary>
    /// An entry of the layer being read that a newer layer hid: where it is in the layer's tar,
    /// and the hard link's name its bytes were written under, if any. (A visible entry's bytes are
    /// under its own path, which needs no record.)
    /// </summary>
    private readonly record struct Hidden(int Position, string? WrittenAsLink);

    public async Task WriteAsync(CancellationToken cancellationToken)
    {
        _redirects = await SymlinkRedirects.FindAsync(layers, cancellationToken).ConfigureAwait(false);
        for (var index = layers.Count - 1; index >= 0; index--)
        {
            await WriteLayerAsync(index, cancellationToken).ConfigureAwait(false);
        }
        foreach (var (index, targets) in _rescues)
        {
            await RescueAsync(index, targets, cancellationToken).ConfigureAwait(false);
        }
        foreach (var (target, links) in _waiting)
        {
            throw new InvalidLayerException(links[0].Layer, links[0].Path, $"hard link target \"{target}\" is neither before it in its layer nor in a layer below");
        }
    }

    private async Task WriteLayerAsync(int index, CancellationToken cancellationToken)
    {
        var name = layers[index].Digest.ToString();
        var hidden = new Dictionary<PathTree.Node, Hidden>();
        var linksHere = new Dictionary<string, string>(StringComparer.Ordinal);
        var deleted = new List<string>();
        var opaque = new List<string>();
        var reader = new LayerTarReader(await layers[index].OpenUncompressedAsync(cancellationToken).ConfigureAwait(false), name, keepRoot: true);
        await using (reader.ConfigureAwait(false))
        {
            var position = -1;
            while (await reader.NextAsync(cancellationToken).ConfigureAwait(false) is { } entry)
            {
                position++;
                var redirect = _redirects.Find(index, position);
                var path = redirect?.Path ?? entry.Path;
                var (isOpaque, target) = Whiteouts.Parse(path);
                if (isOpaque) { opaque.Add(target!); continue; }
                if (target is not null)
                {
                    if (TarPath.Name(path) == Whiteouts.Prefix) throw new InvalidLayerException(name, entry.Entry.Name, "a whiteout that names nothing");
                    deleted.Add(target);
                    continue;
                }
                var node = _tree.Meet(path, index, entry.IsDirectory, out var visible);
                _waiting.Remove(path, out var waiting);
                waiting ??= [];
                if ((redirect?.LinkTarget ?? entry.LinkTarget) is { } linkTarget)
                {
                    linksHere[path] = linkTarget;
                    if (visible) waiting.Insert(0, new PendingLink(path, entry.Entry, name));
                    if (waiting.Count > 0) await LinkAsync(index, linkTarget, waiting, hidden, linksHere, reader, cancellationToken).ConfigureAwait(false);
                    if (visible) hidden.Remove(node); else hidden[node] = new Hidden(position, null);
                    continue;
                }
                linksHere.Remove(path);
                if (waiting.Count > 0 && entry.IsDirectory)
                {
                    throw new InvalidLayerException(waiting[0].Layer, waiting[0].Path, $"hard link to directory \"{path}\"");
                }
                string? writtenAsLink = null;
                if (visible)
                {
                    await WriteAsync(reader, TarEntryCopy.Create(entry.Entry, path.Length == 0 ? "." : path), TarEntryCopy.BinaryXattrs(reader.PaxRecords.Span), cancellationToken).ConfigureAwait(false);
                    await WriteLinksAsync(reader, waiting, path, cancellationToken).ConfigureAwait(false);
                }
                else if (waiting.Count > 0)
                {
                    writtenAsLink = await WriteUnderLinkNameAsync(reader, entry.Entry, waiting, cancellationToken).ConfigureAwait(false);
                }
                if (visible) hidden.Remove(node); else hidden[node] = new Hidden(position, writtenAsLink);
            }
            await reader.FinishAsync(cancellationToken).ConfigureAwait(false);
        }
        foreach (var target in deleted) _tree.Add(target).Marks |= PathTree.Marks.Deleted;
        foreach (var target in opaque) _tree.Add(target).Marks |= PathTree.Marks.Opaque;
        foreach (var (target, links) in _waitingBelow) Waiting(target).AddRange(links);
        _waitingBelow.Clear();
    }

    /// <summary>
    /// Gives <paramref name="links"/> the bytes of <paramref name="target"/> as this layer has them
    /// so far: a hard link to where they were written, a rescue of a hidden target read earlier in
    /// this layer, or a wait for a target in the layers below.
    /// </summary>
    private async Task LinkAsync(int index, string target, List<PendingLink> links, Dictionary<PathTree.Node, Hidden> hidden,
        Dictionary<string, string> linksHere, LayerTarReader reader, CancellationToken cancellationToken)
    {
        for (var hops = 0; linksHere.TryGetValue(target, out var next); hops++)
        {
            if (hops > linksHere.Count) throw new InvalidLayerException(reader.Layer, links[0].Path, "hard links form a cycle");
            target = next;
        }
        var targetNode = _tree.Find(target);
        if (targetNode is null || !targetNode.MetIn(index))
        {
            if (!_waitingBelow.TryGetValue(target, out var below)) _waitingBelow[target] = below = [];
            below.AddRange(links);
        }
        else if (!hidden.TryGetValue(targetNode, out var hiddenTarget))
        {
            await WriteLinksAsync(reader, links, target, cancellationToken).ConfigureAwait(false);
        }
        else if (hiddenTarget.WrittenAsLink is { } writtenAs)
        {
            await WriteLinksAsync(reader, links, writtenAs, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            if (!_rescues.TryGetValue(index, out var targets)) _rescues[index] = targets = [];
            if (!targets.TryGetValue(hiddenTarget.Position, out var rescued)) targets[hiddenTarget.Position] = rescued = [];
            rescued.AddRange(links);
        }
    }

    private List<PendingLink> Waiting(string target)
    {
        if (!_waiting.TryGetValue(target, out var list)) _waiting[target] = list = [];
        return list;
    }

    /// <summary>Reads a layer again for the hidden entries hard links still need, and writes them under the links' names.</summary>
    private async Task RescueAsync(int index, Dictionary<int, List<PendingLink>> targets, CancellationToken cancellationToken)
    {
        // The same entries as the first read (the root included), so that positions match.
        var reader = new LayerTarReader(await layers[index].OpenUncompressedAsync(cancellationToken).ConfigureAwait(false), layers[index].Digest.ToString(), keepRoot: true);
        await using (reader.ConfigureAwait(false))
        {
            var position = -1;
            while (targets.Count > 0 && await reader.NextAsync(cancellationToken).ConfigureAwait(false) is { } entry)
            {
                position++;
                if (targets.Remove(position, out var links)) await WriteUnderLinkNameAsync(reader, entry.Entry, links, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Writes a hidden entry (the one just read) under the first link's name and the other links as hard links to it.</summary>
    private async Task<string> WriteUnderLinkNameAsync(LayerTarReader reader, TarEntry entry, List<PendingLink> links, CancellationToken cancellationToken)
    {
        var first = links[0].Path;
        await WriteAsync(reader, TarEntryCopy.Create(entry, first), TarEntryCopy.BinaryXattrs(reader.PaxRecords.Span), cancellationToken).ConfigureAwait(false);
        await WriteLinksAsync(reader, links.Skip(1), first, cancellationToken).ConfigureAwait(false);
        return first;
    }

    private async Task WriteLinksAsync(LayerTarReader reader, IEnumerable<PendingLink> links, string target, CancellationToken cancellationToken)
    {
        foreach (var link in links)
        {
            await WriteAsync(reader, TarEntryCopy.Create(link.Entry, link.Path, hardLinkTo: target), null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes an entry; <paramref name="binaryXattrs"/> are its attributes whose bytes no string holds.</summary>
    private async Task WriteAsync(LayerTarReader reader, TarEntry entry, Dictionary<string, byte[]>? binaryXattrs, CancellationToken cancellationToken)
    {
        try
        {
            await writer.WriteAsync(entry, binaryXattrs, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
        {
            throw reader.Corrupt(e);
        }
    }
}
