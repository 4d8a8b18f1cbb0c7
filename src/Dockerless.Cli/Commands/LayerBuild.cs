using System.CommandLine;

namespace Dockerless.Cli.Commands;

/// <summary><c>build DIR --to-path PATH [--from SRC]</c>: DIR put into one new layer on a base, the config set by flags.</summary>
internal static class LayerBuild
{
    public static async Task RunAsync(CliContext context, ParseResult parse, BuildCommandOptions options, string directory, IReadOnlyList<ImageLocation> destinations, CancellationToken cancellationToken)
    {
        var source = CommonOptions.SourceLocation(parse.GetValue(options.From) ?? "scratch");
        var wanted = CommonOptions.ParsePlatform(parse.GetValue(options.Platform));
        var image = await source.OpenImageAsync(wanted, context.Registries, cancellationToken);
        await using (image)
        {
            await HostLayer.AddAsync(image, directory, parse.GetValue(options.ToPath) ?? "/", cancellationToken);
            options.Config.Apply(parse, image);
            foreach (var destination in destinations)
            {
                await Destinations.WriteAsync(context, destination, image, cancellationToken);
                context.Status($"wrote {destination}");
            }
            await DockerfileBuild.WriteIidFileAsync(parse, options, Digest.Compute(image.GetRawConfig().Span), cancellationToken);
        }
    }
}
