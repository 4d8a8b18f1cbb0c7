using System.CommandLine;

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
            var location = CommonOptions.SourceLocation(parse.GetRequiredValue(source));
            var digest = (await ImageDocuments.ManifestAsync(context, location, CommonOptions.ParsePlatform(parse.GetValue(platform)), cancellationToken)).Digest;
            await context.Out.WriteLineAsync(context.Json ? $"{{\"Digest\":\"{digest}\"}}" : digest.ToString());
        });
        return command;
    }
}
