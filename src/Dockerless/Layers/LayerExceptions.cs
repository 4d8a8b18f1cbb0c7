namespace Dockerless.Layers;

/// <summary>A layer whose tar cannot be read: truncated, corrupt, or with an entry Dockerless refuses.</summary>
public class InvalidLayerException : DockerlessException
{
    /// <summary>Creates the exception for <paramref name="layer"/> (its digest or file) and, when known, <paramref name="entry"/>.</summary>
    public InvalidLayerException(string layer, string? entry, string problem, Exception? innerException = null)
        : base(entry is null ? $"layer {layer}: {problem}" : $"layer {layer}: entry \"{entry}\": {problem}", innerException)
    {
        Layer = layer;
        Entry = entry;
    }

    /// <summary>The layer: its digest, or the file it was read from.</summary>
    public string Layer { get; }

    /// <summary>The tar entry at fault (or the last one read before the fault), if any.</summary>
    public string? Entry { get; }
}

/// <summary>
/// A layer entry that would reach outside the image's root filesystem: a path whose <c>..</c>
/// climbs above the root, or a hard link whose target does.
/// </summary>
public sealed class UnsafeTarEntryException : InvalidLayerException
{
    /// <summary>Creates the exception naming the layer, the entry and what makes it unsafe.</summary>
    public UnsafeTarEntryException(string layer, string entry, string problem) : base(layer, entry, problem) { }
}
