using System.CommandLine;

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
            var destination = CommonOptions.DestinationLocation(parse.GetRequiredValue(reference));
            if (destination is not RegistryLocation) throw new UsageException($"push: {destination} is not a registry image (use copy)");
            var source = await SourceAsync(file, cancellationToken);
            await CopyCommand.CopyAsync(context, source, destination, [], false, cancellationToken);
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
        if (Directory.Exists(file) || File.Exists(file)) return await ImageLocation.DetectAsync(file, cancellationToken);
        if (LocalTransports.Any(t => file.StartsWith(t, StringComparison.Ordinal))) return CommonOptions.SourceLocation(file);
        if (file.StartsWith(RegistryArguments.Transport, StringComparison.Ordinal))
        {
            throw new UsageException($"push: {file} is a registry image, not a local one (use copy)");
        }
        throw new FileNotFoundException($"push: {file}: no such file or directory");
    }
}
