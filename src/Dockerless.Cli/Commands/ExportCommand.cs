using System.CommandLine;

namespace Dockerless.Cli.Commands;

/// <summary><c>dockerless export SRC OUT.tar</c>: the image's filesystem as one tar, whiteouts applied.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var source = CommonOptions.Source();
        var output = new Argument<string>("OUT.tar") { Description = "The tar file to write (- for standard output)" };
        var platform = CommonOptions.Platform();
        var command = new Command("export", "Write an image's flattened filesystem (whiteouts applied) as a tar") { source, output, platform };
        command.HandleTransfers(async (context, parse, cancellationToken) =>
        {
            var from = CommonOptions.SourceLocation(parse.GetRequiredValue(source));
            var path = CommonOptions.NonEmptyPath(parse.GetRequiredValue(output), "export", "OUT.tar", "the tar file to write (- for standard output)");
            var image = await from.OpenImageAsync(CommonOptions.ParsePlatform(parse.GetValue(platform)), context.Registries, cancellationToken);
            await using (image)
            {
                if (path == "-")
                {
                    var stdout = Console.OpenStandardOutput();
                    await using (stdout) await image.ExportAsync(stdout, cancellationToken);
                }
                else
                {
                    await image.ExportAsync(path, cancellationToken);
                    context.Status($"wrote {path}");
                }
            }
        });
        return command;
    }
}
