using System.CommandLine;

namespace Dockerless.Cli.Commands;

/// <summary><c>dockerless build DIR -t DST [--from SRC] [--to-path /app] [config flags] [--platform os/arch]</c>.</summary>
internal static class BuildCommand
{
    public static Command Create()
    {
        var directory = new Argument<string>("DIR") { Description = "The directory to put into the new layer" };
        var destination = CommonOptions.Destination();
        var from = new Option<string>("--from") { Description = "The base image (default: scratch)", HelpName = "SRC", DefaultValueFactory = _ => "scratch" };
        var toPath = new Option<string>("--to-path") { Description = "Where DIR goes in the image", HelpName = "PATH", DefaultValueFactory = _ => "/" };
        var platform = CommonOptions.Platform("The platform of the base (and of a scratch image), os/arch[/variant]");
        var flags = new ConfigFlags();
        var command = new Command("build", "Put DIR into one new layer on top of a base image, set the config, and write the image")
        {
            directory, destination, from, toPath, platform,
        };
        flags.AddTo(command);
        command.HandleTransfers(async (context, parse, cancellationToken) =>
        {
            var dir = CommonOptions.NonEmptyPath(parse.GetRequiredValue(directory), "build", "DIR", "the directory to put into the layer");
            var target = CommonOptions.DestinationLocation(parse.GetRequiredValue(destination));
            var source = CommonOptions.SourceLocation(parse.GetRequiredValue(from));
            var wanted = CommonOptions.ParsePlatform(parse.GetValue(platform));
            if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"build: {dir}: no such directory");
            var image = await source.OpenImageAsync(wanted, context.Registries, cancellationToken);
            await using (image)
            {
                await HostLayer.AddAsync(image, dir, parse.GetRequiredValue(toPath), cancellationToken);
                flags.Apply(parse, image);
                await Destinations.WriteAsync(context, target, image, cancellationToken);
            }
            context.Status($"wrote {target}");
        });
        return command;
    }
}
