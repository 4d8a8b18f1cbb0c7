using System.CommandLine;
using Dockerless.Archives;
using Dockerless.Cli.Locations;

namespace Dockerless.Cli.Commands;

/// <summary><c>dockerless push PATH REF</c>: a shorthand of copy; the format of PATH is guessed.</summary>
internal static class PushCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("PATH") { Description = "A docker-archive tar, an OCI layout directory or an OCI archive tar" };
        var reference = new Argument<string>("REF") { Description = "The registry image to write (docker:// optional)" };
        var command = new Command("push", "Upload an image from a local file or directory") { path, reference };
        command.HandleTransfers(async (context, parse, cancellationToken) =>
        {
            var file = parse.GetRequiredValue(path);
            var destination = ImageLocation.ParseDestination(parse.GetRequiredValue(reference));
            if (destination is not RegistryLocation) throw new UsageException($"push: {destination} is not a registry image (use copy)");
            ImageLocation source = Directory.Exists(file)
                ? new OciLayoutLocation { Text = "oci:" + file, Path = file }
                : File.Exists(file) ? await ArchiveLocationAsync(file, cancellationToken)
                : throw new FileNotFoundException($"push: {file}: no such file or directory");
            await CopyCommand.CopyAsync(context, source, destination, [], cancellationToken);
        });
        return command;
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
