using System.CommandLine;

namespace Dockerless.Cli.Commands;

/// <summary><c>dockerless append SRC -t DST --layer PATH[:CONTAINER_DIR]...</c>: one new layer per --layer.</summary>
internal static class AppendCommand
{
    public static Command Create()
    {
        var source = CommonOptions.Source();
        var destination = CommonOptions.Destination();
        var layers = ConfigFlags.Repeatable("--layer", "PATH[:CONTAINER_DIR]", "A file or directory to add as one new layer, under CONTAINER_DIR (default /); repeatable");
        layers.Required = true;
        var platform = PlatformEdit.Option();
        var command = new Command("append", "Add one new layer per --layer on top of an image") { source, destination, layers, platform };
        command.HandleTransfers(async (context, parse, cancellationToken) =>
        {
            var from = CommonOptions.SourceLocation(parse.GetRequiredValue(source));
            var target = CommonOptions.DestinationLocation(parse.GetRequiredValue(destination));
            var specs = parse.GetRequiredValue(layers).Select(ParseLayer).ToList();
            foreach (var (hostPath, _) in specs)
            {
                if (!File.Exists(hostPath) && !Directory.Exists(hostPath)) throw new FileNotFoundException($"append: --layer {hostPath}: no such file or directory");
            }
            await PlatformEdit.RunAsync(context, from, target, parse.GetValue(platform), async (image, token) =>
            {
                foreach (var (hostPath, containerDir) in specs) await HostLayer.AddAsync(image, hostPath, IntoDirectory(hostPath, containerDir), token);
            }, cancellationToken);
            context.Status($"wrote {target}");
        });
        return command;
    }

    /// <summary>
    /// The container path for <see cref="HostLayer.AddAsync"/>: a directory's contents go into
    /// CONTAINER_DIR; a file goes into it under its own name (the trailing <c>/</c> says so), as the
    /// flag promises. Given as is, <c>--layer app.conf:/etc</c> made the file <em>be</em> /etc, a file
    /// that replaced the base's whole /etc directory when the layers are applied.
    /// </summary>
    internal static string IntoDirectory(string hostPath, string containerDir)
        => Directory.Exists(hostPath) || containerDir.EndsWith('/') ? containerDir : containerDir + "/";

    /// <summary>Splits <c>PATH[:CONTAINER_DIR]</c>; the container directory is absolute, so it starts after the last <c>:/</c>.</summary>
    internal static (string HostPath, string ContainerDir) ParseLayer(string value)
    {
        var split = value.LastIndexOf(":/", StringComparison.Ordinal);
        var (hostPath, containerDir) = split > 0 ? (value[..split], value[(split + 1)..]) : (value, "/");
        if (hostPath.Length == 0) throw new UsageException($"--layer {value}: the path is missing");
        return (hostPath, containerDir);
    }
}
