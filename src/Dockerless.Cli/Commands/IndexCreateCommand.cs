using System.CommandLine;

namespace Dockerless.Cli.Commands;

/// <summary>
/// <c>dockerless index create DEST SRC... [--annotation K=V]...</c> and <c>dockerless index add DEST SRC...</c>:
/// an index of per-platform images, each platform read from its image's config.
/// </summary>
internal static class IndexCreateCommand
{
    public static Command Create()
    {
        var destination = IndexCommand.Destination();
        var sources = Sources();
        var annotations = ConfigFlags.Repeatable("--annotation", "K=V", "An annotation of the index (repeatable); it makes the index an OCI one");
        var command = new Command("create", "Make an index of images, one per platform (the platform read from each image's config)") { destination, sources, annotations };
        command.HandleTransfers(async (context, parse, cancellationToken) =>
        {
            var target = IndexCommand.DestinationLocation("create", parse.GetRequiredValue(destination));
            var pairs = (parse.GetValue(annotations) ?? []).Select(p => ConfigFlags.KeyValue(p, "--annotation")).ToList();
            await using var index = ImageIndex.Create([]);
            foreach (var (key, value) in pairs) index.Annotations[key] = value;
            await IndexSources.AddAsync(context, index, parse.GetRequiredValue(sources), cancellationToken);
            await IndexCommand.WriteAsync(context, target, index, cancellationToken);
        });
        return command;
    }

    public static Command CreateAdd()
    {
        var destination = IndexCommand.Destination();
        var sources = Sources();
        var command = new Command("add", "Add images (or every platform of an index) to the index DEST, one per platform") { destination, sources };
        command.HandleTransfers(async (context, parse, cancellationToken) =>
        {
            var text = parse.GetRequiredValue(destination);
            var target = IndexCommand.DestinationLocation("add", text);
            await using var index = await IndexCommand.OpenAsync(context, "add", text, cancellationToken);
            await IndexSources.AddAsync(context, index, parse.GetRequiredValue(sources), cancellationToken);
            await IndexCommand.WriteAsync(context, target, index, cancellationToken);
        });
        return command;
    }

    private static Argument<string[]> Sources() => new("SRC")
    {
        Description = "An image (or an index, for all its platforms) in any location: REF, docker://REF, docker-archive:PATH[:REF], oci:PATH[:TAG], oci-archive:PATH[:TAG], docker-daemon:REF",
        Arity = ArgumentArity.OneOrMore,
    };
}
