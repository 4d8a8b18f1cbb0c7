using System.CommandLine;

namespace Dockerless.Cli.Commands;

/// <summary><c>dockerless manifest SRC</c>: the manifest (or index) bytes exactly as stored.</summary>
internal static class ManifestCommand
{
    public static Command Create()
    {
        var source = CommonOptions.Source();
        var platform = CommonOptions.Platform();
        var command = new Command("manifest", "Print the image's manifest (or index) exactly as stored") { source, platform };
        command.Handle(async (context, parse, cancellationToken) =>
        {
            var location = CommonOptions.SourceLocation(parse.GetRequiredValue(source));
            var manifest = await ImageDocuments.ManifestAsync(context, location, CommonOptions.ParsePlatform(parse.GetValue(platform)), cancellationToken);
            await ImageDocuments.WriteRawAsync(context, manifest.Bytes);
        });
        return command;
    }
}
