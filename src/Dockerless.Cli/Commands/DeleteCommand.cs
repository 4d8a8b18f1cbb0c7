using System.CommandLine;

namespace Dockerless.Cli.Commands;

/// <summary>
/// <c>dockerless delete REF</c>: deletes the manifest REF names. A tag is resolved to its digest
/// first, so every tag on that manifest goes (as skopeo delete does).
/// </summary>
internal static class DeleteCommand
{
    public static Command Create()
    {
        var reference = new Argument<string>("REF") { Description = "The registry image (docker:// optional; a tag deletes the manifest it points to, and so every tag on it)" };
        var command = new Command("delete", "Delete a manifest from a registry") { reference };
        command.Handle(async (context, parse, cancellationToken) =>
        {
            var parsed = RegistryArguments.Reference(parse.GetRequiredValue(reference));
            var deleted = await context.RegistryFor(parsed.Registry).DeleteAsync(parsed, cancellationToken);
            context.Status($"deleted {deleted}");
        });
        return command;
    }
}
