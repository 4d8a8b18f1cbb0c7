namespace Dockerless;

public sealed partial class Image
{
    /// <summary>Loads every image in a docker-archive tar, an OCI layout directory or an OCI archive tar.</summary>
    public static Task<IReadOnlyList<Image>> LoadAsync(string path, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    /// <summary>Writes this image as a docker-archive tar (what <c>docker save</c> writes).</summary>
    public Task WriteFileAsync(string path, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    /// <summary>Writes several images into one docker-archive tar.</summary>
    public static Task WriteFileAsync(string path, IEnumerable<Image> images, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    /// <summary>Writes this image into an OCI image layout directory.</summary>
    public Task WriteOciLayoutAsync(string directory, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();
}
