using System.CommandLine;
using Dockerless.Cli.Locations;

namespace Dockerless.Cli.Commands;

/// <summary>
/// <c>dockerless push PATH REF</c>: a shorthand of copy. The format of a bare PATH is guessed; PATH
/// may also be written as a local location, as copy's SRC (<c>oci:DIR:TAG</c>, ...).
/// </summary>
internal static class PushCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("PATH")
        {
            Description = "A docker-archive tar, an OCI layout directory or an OCI archive tar (format guessed), or a local location as copy takes it: docker-archive:PATH[:REF], oci:PATH[:TAG], oci-archive:PATH[:TAG], docker-daemon:REF",
        };
        var reference = new Argument<string>("REF") { Description = "The registry image to write (docker:// optional)" };
        var command = new Command("push", "Upload an image from a local file or directory") { path, reference };
        command.HandleTransfers(async (context, parse, cancellationToken) =>
        {
            var file = CommonOptions.NonEmptyPath(parse.GetRequiredValue(path), "push", "PATH", "the image's file, directory or local location");
            var destination = ImageLocation.ParseDestination(parse.GetRequiredValue(reference));
            if (destination is not RegistryLocation) throw new UsageException($"push: {destination} is not a registry image (use copy)");
            var source = await SourceAsync(file, cancellationToken);
            await CopyCommand.CopyAsync(context, source, destination, [], cancellationToken);
        });
        return command;
    }

    /// <summary>The transports of a local image that PATH may be written with, as copy's SRC takes them.</summary>
    private static readonly string[] LocalTransports = ["docker-archive:", "oci:", "oci-archive:", "docker-daemon:"];

    /// <summary>
    /// PATH as an existing file or directory (its format guessed), else as a local location
    /// written as copy takes it (<c>oci:DIR[:TAG]</c>, <c>docker-archive:TAR[:REF]</c>,
    /// <c>oci-archive:TAR[:TAG]</c>, <c>docker-daemon:REF</c>).
    /// </summary>
    private static async Task<ImageLocation> SourceAsync(string file, CancellationToken cancellationToken)
    {
        if (Directory.Exists(file)) return new OciLayoutLocation { Text = "oci:" + file, Path = file };
        if (File.Exists(file)) return await ArchiveLocationAsync(file, cancellationToken);
        if (LocalTransports.Any(t => file.StartsWith(t, StringComparison.Ordinal))) return ImageLocation.ParseSource(file);
        if (file.StartsWith(RegistryAccess.Transport, StringComparison.Ordinal))
        {
            throw new UsageException($"push: {file} is a registry image, not a local one (use copy)");
        }
        throw new FileNotFoundException($"push: {file}: no such file or directory");
    }

    /// <summary>
    /// A tar holding an OCI layout and no docker-archive <c>manifest.json</c> is an oci-archive, so
    /// that all its platforms go; any other file is loaded as a docker-archive (Image.LoadAsync
    /// still tells the formats apart by their contents).
    /// </summary>
    private static async Task<ImageLocation> ArchiveLocationAsync(string file, CancellationToken cancellationToken)
    {
        var contents = await ArchiveContents.OpenAsync(file, cancellationToken);
        return contents.Contains(OciLayoutReader.IndexFile) && !contents.Contains(DockerArchiveReader.ManifestFile)
            ? new OciArchiveLocation { Text = "oci-archive:" + file, Path = file }
            : new DockerArchiveLocation { Text = file, Path = file };
    }
}
