namespace Dockerless;

/// <summary>
/// Keeping history in step with the layers. Docker, podman and BuildKit pair the history entries
/// without <c>empty_layer</c> with the layers from the bottom up, so an image whose history has
/// fewer (or more) such entries than layers must be mended before a layer is added or removed,
/// or every later entry lands against the wrong layer.
/// </summary>
public sealed partial class Image
{
    /// <summary>The comment of the entries that stand for layers the history did not describe.</summary>
    internal const string PlaceholderComment = "dockerless: a layer the image's history did not describe";

    // The placeholders this image added, by reference: removing the layer above them removes them
    // again, so that add then remove gives the original config back. Loaded ones are not ours.
    private readonly HashSet<HistoryEntry> _placeholders = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// Makes the entries without <c>empty_layer</c> as many as the layers, as BuildKit's exporter
    /// does: entries past the top layer become <c>empty_layer</c>; layers without one get a
    /// placeholder on top, so that the next entry added is the next layer's.
    /// </summary>
    private void AlignHistory()
    {
        var history = Configuration.History;
        var described = 0;
        foreach (var entry in history)
        {
            if (entry.EmptyLayer) continue;
            if (described == _layers.Count) entry.EmptyLayer = true;
            else described++;
        }
        for (; described < _layers.Count; described++)
        {
            var placeholder = new HistoryEntry { Comment = PlaceholderComment };
            _placeholders.Add(placeholder);
            history.Add(placeholder);
        }
    }

    /// <summary>
    /// Drops the entry of the top layer, which is about to go: the layer-count-th entry without
    /// <c>empty_layer</c> when there is one (none describes it when the history is short); then
    /// the placeholders this image put on top, now that no layer above them is left.
    /// </summary>
    private void DropTopLayerHistory()
    {
        var history = Configuration.History;
        var described = 0;
        for (var i = 0; i < history.Count; i++)
        {
            if (history[i].EmptyLayer || ++described < _layers.Count) continue;
            history.RemoveAt(i);
            break;
        }
        while (history.Count > 0 && _placeholders.Remove(history[^1])) history.RemoveAt(history.Count - 1);
    }
}
