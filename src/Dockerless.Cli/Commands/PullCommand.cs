using System.CommandLine;

namespace Dockerless.Cli.Commands;

/// <summary><c>dockerless pull REF PATH [--format docker|oci|oci-archive]</c>: a shorthand of copy.</summary>
internal static class PullCommand
{
    private static readonly string[] LocalPrefixes = ["docker-archive:", "oci:", "oci-archive:"];

    public static Command Create()
    {
        var reference = new Argument<string>("REF") { Description = "The registry image (docker:// optional)" };
        var path = new Argument<string>("PATH") { Description = "Where to write it" };
        var format = new Option<string>("--format")
        {
            Description = "docker: a docker-archive tar; oci: an OCI layout directory; oci-archive: a tar of one",
            DefaultValueFactory = _ => "docker",
        };
        format.AcceptOnlyFromAmong("docker", "oci", "oci-archive");
        var platform = CommonOptions.Platform();
        var command = new Command("pull", "Download an image into a local file or directory") { reference, path, format, platform };
        command.HandleTransfers((context, parse, cancellationToken) =>
        {
            var source = CommonOptions.SourceLocation(parse.GetRequiredValue(reference));
            if (source is not RegistryLocation) throw new UsageException($"pull: {source} is not a registry image (use copy)");
            var file = CommonOptions.NonEmptyPath(parse.GetRequiredValue(path), "pull", "PATH", "the file or directory to write");
            // PATH written as a location (docker-archive:FILE, oci:DIR, oci-archive:FILE) says its own format.
            ImageLocation destination = LocalPrefixes.Any(p => file.StartsWith(p, StringComparison.Ordinal))
                ? CommonOptions.DestinationLocation(file)
                : parse.GetRequiredValue(format) switch
                {
                    "oci" => new OciLayoutLocation { Text = "oci:" + file, Path = file },
                    "oci-archive" => new OciArchiveLocation { Text = "oci-archive:" + file, Path = file },
                    _ => new DockerArchiveLocation { Text = "docker-archive:" + file, Path = file },
                };
            var wanted = CommonOptions.ParsePlatform(parse.GetValue(platform));
            return CopyCommand.CopyAsync(context, source, destination, wanted is null ? [] : [wanted], false, cancellationToken);
        });
        return command;
    }
}
