using System.CommandLine;

namespace Dockerless.Cli.Commands;

/// <summary>
/// <c>dockerless mutate SRC -t DST [config flags] [--remove-layers N] [--delete PATH]... [--clear-env] [--label-rm K]...</c>.
/// </summary>
internal static class MutateCommand
{
    public static Command Create()
    {
        var source = CommonOptions.Source();
        var destination = CommonOptions.Destination();
        var removeLayers = new Option<int>("--remove-layers")
        {
            Description = "Drop the top N layers",
            HelpName = "N",
            CustomParser = result => CommonOptions.ParseCount(result, "--remove-layers", minimum: 0),
        };
        var delete = ConfigFlags.Repeatable("--delete", "PATH", "Delete PATH from the image, in one whiteout layer (repeatable)");
        var clearEnv = new Option<bool>("--clear-env") { Description = "Remove every environment variable (before --env applies)" };
        var labelRm = ConfigFlags.Repeatable("--label-rm", "K", "Remove a label (repeatable)");
        var platform = PlatformEdit.Option();
        var flags = new ConfigFlags();
        var command = new Command("mutate", "Change an image's config or layers and write it")
        {
            source, destination, removeLayers, delete, clearEnv, labelRm, platform,
        };
        flags.AddTo(command);
        command.HandleTransfers(async (context, parse, cancellationToken) =>
        {
            var from = CommonOptions.SourceLocation(parse.GetRequiredValue(source));
            var target = CommonOptions.DestinationLocation(parse.GetRequiredValue(destination));
            await PlatformEdit.RunAsync(context, from, target, parse.GetValue(platform), async (image, token) =>
            {
                var remove = parse.GetValue(removeLayers);
                if (remove > image.Layers.Count) throw new UsageException($"--remove-layers {remove}: the image ({image.Platform}) has only {image.Layers.Count} layers");
                for (var i = 0; i < remove; i++) image.RemoveLayer();
                if (parse.GetValue(clearEnv)) image.Config.Env.Clear();
                foreach (var key in parse.GetValue(labelRm) ?? []) image.Config.Labels.Remove(key);
                flags.Apply(parse, image);
                if (parse.GetValue(delete) is { Length: > 0 } paths) await image.DeletePathsAsync(paths, cancellationToken: token);
            }, cancellationToken);
            context.Status($"wrote {target}");
        });
        return command;
    }
}
