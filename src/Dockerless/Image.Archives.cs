namespace Dockerless;

public sealed partial class Image
{
    /// <summary>
    /// Loads every image in a docker-archive tar (<c>docker save</c>, skopeo, the .NET SDK, or
    /// the legacy layout python-docker writes), an OCI layout directory or an OCI archive tar;
    /// the format is detected. Where an OCI index offers several platforms, the host's is taken.
    /// Only the small documents are read now; layer bytes are read when something opens them.
    /// </summary>
    public static Task<IReadOnlyList<Image>> LoadAsync(string path, CancellationToken cancellationToken = default)
        => LoadAsync(path, null, cancellationToken);

    /// <summary>Loads every image in an archive or layout, choosing platforms as <paramref name="options"/> says.</summary>
    public static async Task<IReadOnlyList<Image>> LoadAsync(string path, ImageLoadOptions? options, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var contents = await ArchiveContents.OpenAsync(path, cancellationToken).ConfigureAwait(false);
        return await LoadAsync(contents, options ?? new ImageLoadOptions(), null, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The images of <paramref name="contents"/>, its format detected; in an OCI layout only those
    /// <paramref name="refName"/> names when given (chosen before any manifest is read; a missing
    /// one is an error naming <paramref name="where"/>).
    /// </summary>
    internal static async Task<IReadOnlyList<Image>> LoadAsync(ArchiveContents contents, ImageLoadOptions options, string? refName, string? where, CancellationToken cancellationToken)
    {
        if (contents.Contains(DockerArchiveReader.ManifestFile))
        {
            return await DockerArchiveReader.ReadAsync(contents, cancellationToken).ConfigureAwait(false);
        }
        if (contents.Contains(OciLayoutReader.IndexFile))
        {
            return await OciLayoutReader.ReadAsync(contents, options, cancellationToken, refName, where).ConfigureAwait(false);
        }
        if (contents.Contains(LegacyArchiveReader.RepositoriesFile))
        {
            return await LegacyArchiveReader.ReadAsync(contents, cancellationToken).ConfigureAwait(false);
        }
        throw new InvalidImageFormatException(
            $"{contents.Source}: not an image archive: it has no {DockerArchiveReader.ManifestFile} (docker-archive), {OciLayoutReader.IndexFile} (OCI layout) or {LegacyArchiveReader.RepositoriesFile} (legacy docker-archive)");
    }

    /// <summary>Writes this image as a docker-archive tar (what <c>docker save</c> writes), atomically.</summary>
    /// <exception cref="InvalidReferenceException">
    /// <see cref="Name"/> with one of <see cref="Tags"/> is not a reference docker load can parse
    /// (<c>UPPER:1</c>, <c>app:bad tag</c>); nothing is written.
    /// </exception>
    public Task WriteDockerArchiveAsync(string path, CancellationToken cancellationToken = default)
        => WriteDockerArchiveAsync(path, [this], cancellationToken);

    /// <summary>Writes several images into one docker-archive tar; layers they share are stored once.</summary>
    public static Task WriteDockerArchiveAsync(string path, IEnumerable<Image> images, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return DockerArchiveWriter.WriteAsync(path, Listed(images), cancellationToken);
    }

    /// <summary>The same as <see cref="WriteDockerArchiveAsync(string, CancellationToken)"/>, under python-docker's name.</summary>
    public Task WriteFileAsync(string path, CancellationToken cancellationToken = default)
        => WriteDockerArchiveAsync(path, cancellationToken);

    /// <summary>The same as <see cref="WriteDockerArchiveAsync(string, IEnumerable{Image}, CancellationToken)"/>, under python-docker's name.</summary>
    public static Task WriteFileAsync(string path, IEnumerable<Image> images, CancellationToken cancellationToken = default)
        => WriteDockerArchiveAsync(path, images, cancellationToken);

    /// <summary>
    /// Writes this image into an OCI image layout directory, made when missing; to an existing
    /// layout the image is added (its tag replaces an entry with the same tag and platform).
    /// Several processes may write into one layout at once: <c>index.json</c> changes under a lock.
    /// </summary>
    public Task WriteOciLayoutAsync(string directory, CancellationToken cancellationToken = default)
        => WriteOciLayoutAsync(directory, [this], cancellationToken);

    /// <summary>
    /// Writes several images into one OCI image layout directory, blobs shared once. Images
    /// with the same name and tag for different platforms make a multi-platform layout.
    /// </summary>
    public static Task WriteOciLayoutAsync(string directory, IEnumerable<Image> images, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        return OciLayoutWriter.WriteDirectoryAsync(directory, new OciLayoutPlan(Listed(images), []), cancellationToken);
    }

    /// <summary>Writes this image as an OCI archive (an OCI layout in a tar), atomically.</summary>
    public Task WriteOciArchiveAsync(string path, CancellationToken cancellationToken = default)
        => WriteOciArchiveAsync(path, [this], cancellationToken);

    /// <summary>Writes several images into one OCI archive, blobs shared once.</summary>
    public static Task WriteOciArchiveAsync(string path, IEnumerable<Image> images, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return OciLayoutWriter.WriteArchiveAsync(path, new OciLayoutPlan(Listed(images), []), cancellationToken);
    }

    /// <summary>The images to write, as a list; null, or a null among them, is an <see cref="ArgumentException"/>.</summary>
    private static List<Image> Listed(IEnumerable<Image> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        List<Image> list = [.. images];
        return list.Contains(null!) ? throw new ArgumentException("a null image is in the list", nameof(images)) : list;
    }
}
