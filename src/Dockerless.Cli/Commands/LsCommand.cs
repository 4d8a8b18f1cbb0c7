using System.CommandLine;
using Dockerless.Cli.Output;

namespace Dockerless.Cli.Commands;

/// <summary><c>dockerless ls REPO</c>: the repository's tags, one per line (a JSON array with --json).</summary>
internal static class LsCommand
{
    public static Command Create()
    {
        var repository = new Argument<string>("REPO") { Description = "The repository, such as 127.0.0.1:5000/app (docker:// optional)" };
        var command = new Command("ls", "List a repository's tags") { repository };
        command.Handle(async (context, parse, cancellationToken) =>
        {
            var parsed = RegistryArguments.Repository("ls", parse.GetRequiredValue(repository));
            await DataOutput.WriteListAsync(context, context.RegistryFor(parsed.Registry).EnumerateTagsAsync(parsed.Name, cancellationToken: cancellationToken));
        });
        return command;
    }
}
