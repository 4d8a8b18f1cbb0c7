using System.CommandLine;

namespace Dockerless.Cli.Commands;

/// <summary><c>dockerless config SRC</c>: the image config bytes exactly as stored.</summary>
internal static class ConfigCommand
{
    public static Command Create()
    {
        var source = CommonOptions.Source();
        var platform = CommonOptions.Platform();
        var command = new Command("config", "Print the image's config exactly as stored") { source, platform };
        command.Handle(async (context, parse, cancellationToken) =>
        {
            var location = CommonOptions.SourceLocation(parse.GetRequiredValue(source));
            await ImageDocuments.WriteRawAsync(context, await ImageDocuments.ConfigAsync(context, location, CommonOptions.ParsePlatform(parse.GetValue(platform)), cancellationToken));
        });
        return command;
    }
}
