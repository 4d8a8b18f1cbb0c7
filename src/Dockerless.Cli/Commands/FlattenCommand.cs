using System.CommandLine;

namespace Dockerless.Cli.Commands;

/// <summary><c>dockerless flatten SRC -t DST</c>: the image with all its layers squashed into one (whiteouts applied).</summary>
internal static class FlattenCommand
{
    public static Command Create()
    {
        var source = CommonOptions.Source();
        var destination = CommonOptions.Destination();
        var platform = CommonOptions.Platform();
        var command = new Command("flatten", "Squash an image's layers into one (whiteouts applied) and write it") { source, destination, platform };
        command.HandleTransfers(async (context, parse, cancellationToken) =>
        {
            var from = CommonOptions.SourceLocation(parse.GetRequiredValue(source));
            var target = CommonOptions.DestinationLocation(parse.GetRequiredValue(destination));
            var image = await from.OpenImageAsync(CommonOptions.ParsePlatform(parse.GetValue(platform)), context.Registries, cancellationToken);
            await using (image)
            {
                var flat = await image.FlattenAsync(cancellationToken: cancellationToken);
                await using (flat)
                {
                    await Destinations.WriteAsync(context, target, flat, cancellationToken);
                }
            }
            context.Status($"wrote {target}");
        });
        return command;
    }
}
