namespace Dockerless;

public sealed partial class Image
{
    /// <summary>Adds one layer holding <paramref name="hostPath"/> (a directory, recursively, or a file) under <paramref name="containerPath"/>.</summary>
    public void AddLayerPath(string hostPath, string containerPath = "/", LayerOptions? options = null)
        => throw new NotImplementedException();

    /// <summary>Adds one layer holding the given files (container path to contents).</summary>
    public void AddLayerContents(IReadOnlyDictionary<string, byte[]> contents, LayerOptions? options = null)
        => throw new NotImplementedException();
}

/// <summary>How a new layer is built.</summary>
public sealed record LayerOptions
{
    /// <summary>The compression of the blob (gzip by default).</summary>
    public LayerCompression Compression { get; init; } = LayerCompression.Gzip;
}
