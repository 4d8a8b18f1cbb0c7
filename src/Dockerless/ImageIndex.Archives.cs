namespace Dockerless;

public sealed partial class ImageIndex
{
    /// <summary>
    /// Loads the multi-platform image an OCI layout directory or OCI archive holds under
    /// <paramref name="refName"/> (its <c>org.opencontainers.image.ref.name</c>: a tag, or a whole
    /// reference as skopeo writes it), or its only one when null: every image the index lists, nested
    /// indexes included (attestations aside), with the index's bytes kept. Only the small documents
    /// are read now; layer bytes are read when something opens them.
    /// </summary>
    /// <exception cref="InvalidImageFormatException">The path is no OCI layout, or holds no index under that name.</exception>
    public static async Task<ImageIndex> LoadAsync(string path, string? refName = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var contents = await ArchiveContents.OpenAsync(path, cancellationToken).ConfigureAwait(false);
        if (!contents.Contains(OciLayoutReader.IndexFile))
        {
            throw new InvalidImageFormatException($"{contents.Source}: not an OCI image layout (it has no {OciLayoutReader.IndexFile}); only a layout holds a multi-platform image");
        }
        return await OciLayoutReader.ReadIndexAsync(contents, refName, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidImageFormatException($"{contents.Source}: holds no multi-platform image{(refName is null ? " under a single name" : $" named {refName}")}");
    }

    /// <summary>
    /// Writes this index and its images into an OCI image layout directory under <see cref="Name"/>
    /// and <see cref="Tags"/>, as <see cref="Image.WriteOciLayoutAsync(string, CancellationToken)"/> writes an image.
    /// </summary>
    public Task WriteOciLayoutAsync(string directory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        return OciLayoutWriter.WriteDirectoryAsync(directory, new OciLayoutPlan([], [this]), cancellationToken);
    }

    /// <summary>Writes this index and its images as an OCI archive (an OCI layout in a tar), atomically.</summary>
    public Task WriteOciArchiveAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return OciLayoutWriter.WriteArchiveAsync(path, new OciLayoutPlan([], [this]), cancellationToken);
    }
}
