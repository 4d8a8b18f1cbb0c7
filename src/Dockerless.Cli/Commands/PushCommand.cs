using System.CommandLine;
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
        command.HandleTransfers((context, parse, cancellationToken) =>
        {
            var file = parse.GetRequiredValue(path);
            var destination = ImageLocation.ParseDestination(parse.GetRequiredValue(reference));
            if (destination is not RegistryLocation) throw new UsageException($"push: {destination} is not a registry image (use copy)");
            // Image.LoadAsync tells a docker-archive from an OCI tar by its contents; a directory is a layout.
            ImageLocation source = Directory.Exists(file)
                ? new OciLayoutLocation { Text = "oci:" + file, Path = file }
                : File.Exists(file) ? new DockerArchiveLocation { Text = file, Path = file }
                : throw new FileNotFoundException($"push: {file}: no such file or directory");
            return CopyCommand.CopyAsync(context, source, destination, [], cancellationToken);
        });
        return command;
    }
}
