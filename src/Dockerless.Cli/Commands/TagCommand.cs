using System.CommandLine;

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
            var parsed = RegistryArguments.Reference(parse.GetRequiredValue(reference));
            try
            {
                parsed.WithTag(tag);
            }
            catch (InvalidReferenceException e)
            {
                throw new UsageException($"tag: {e.Reason}");
            }
            await context.RegistryFor(parsed.Registry).TagAsync(parsed, tag, cancellationToken);
        });
        return command;
    }
}
