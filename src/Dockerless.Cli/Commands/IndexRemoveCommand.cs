using System.CommandLine;

namespace Dockerless.Cli.Commands;

/// <summary><c>dockerless index remove DEST --platform P...</c>: drop platforms from an index, the others untouched.</summary>
internal static class IndexRemoveCommand
{
    public static Command Create()
    {
        var destination = IndexCommand.Destination();
        var platforms = ConfigFlags.Repeatable("--platform", "os/arch[/variant]", "A platform to remove (repeatable)");
        platforms.Required = true;
        var command = new Command("remove", "Remove platforms from the index DEST; the others keep their manifests") { destination, platforms };
        command.HandleTransfers(async (context, parse, cancellationToken) =>
        {
            var text = parse.GetRequiredValue(destination);
            var target = IndexCommand.DestinationLocation("remove", text);
            var wanted = parse.GetRequiredValue(platforms).Select(p => CommonOptions.ParsePlatform(p)!).ToList();
            await using var index = await IndexCommand.OpenAsync(context, "remove", text, cancellationToken);
            foreach (var platform in wanted)
            {
                try
                {
                    await index.RemovePlatformAsync(platform);
                }
                catch (PlatformNotFoundException)
                {
                    throw new PlatformNotFoundException($"index remove: {text}", platform, index.Images.Select(i => i.Platform.ToString()));
                }
            }
            if (index.Images.Count == 0) throw new DockerlessException($"index remove: {text}: removing {string.Join(", ", wanted)} leaves no image; delete the index instead");
            await IndexCommand.WriteAsync(context, target, index, cancellationToken);
        });
        return command;
    }
}
