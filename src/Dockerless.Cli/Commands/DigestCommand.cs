using System.CommandLine;
using Dockerless.Cli.Locations;

namespace Dockerless.Cli.Commands;

/// <summary><c>dockerless digest SRC</c>: the manifest digest (the index's, for a multi-platform registry tag).</summary>
internal static class DigestCommand
{
    public static Command Create()
    {
        var source = CommonOptions.Source();
        var platform = CommonOptions.Platform();
        var command = new Command("digest", "Print the image's manifest digest") { source, platform };
        command.Handle(async (context, parse, cancellationToken) =>
        {
            var location = ImageLocation.ParseSource(parse.GetRequiredValue(source));
            var (_, digest) = await ImageDocuments.ManifestAsync(context, location, CommonOptions.ParsePlatform(parse.GetValue(platform)), cancellationToken);
            await context.Out.WriteLineAsync(context.Json ? $"{{\"Digest\":\"{digest}\"}}" : digest.ToString());
        });
        return command;
    }
}
