namespace Dockerless.Cli.Commands;

/// <summary>Image operations the layers branch brings (flatten, export); replaced by the library's own when it lands.</summary>
internal static class LibraryPending
{
    private static DockerlessException Missing(string what) => new($"{what}: this build has no layer flattening yet");

    public static Task<Image> FlattenAsync(this Image image, CancellationToken cancellationToken) => throw Missing("flatten");

    public static Task ExportAsync(this Image image, string path, CancellationToken cancellationToken) => throw Missing("export");

    public static Task ExportAsync(this Image image, Stream output, CancellationToken cancellationToken) => throw Missing("export");
}
