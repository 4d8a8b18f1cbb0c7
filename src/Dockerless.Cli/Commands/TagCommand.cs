using System.CommandLine;
using Dockerless.Cli.Locations;

namespace Dockerless.Cli.Commands;

/// <summary><c>dockerless tag REF NEWTAG</c>: the same manifest under another tag, no blob moved.</summary>
internal static class TagCommand
{
    public static Command Create()
    {
        var reference = new Argument<string>("REF") { Description = "The registry image to tag (docker:// optional)" };
        var newTag = new Argument<string>("NEWTAG") { Description = "The new tag, in the same repository" };
        var command = new Command("tag", "Give a registry image another tag (no blob moves)") { reference, newTag };
        command.Handle(async (context, parse, cancellationToken) =>
        {
            var tag = parse.GetRequiredValue(newTag);
            if (tag.Contains('/', StringComparison.Ordinal) || tag.Contains(':', StringComparison.Ordinal))
            {
                throw new UsageException($"tag: {tag}: NEWTAG is a tag only (the repository stays the same)");
            }
            if (ReferenceGrammar.CheckTag(tag) is { } error) throw new UsageException($"tag: {error}");
            await RegistryAccess.TagAsync(context, parse.GetRequiredValue(reference), tag, cancellationToken);
        });
        return command;
    }
}
