using System.CommandLine;

namespace Dockerless.Cli.Commands;

/// <summary><c>dockerless index create|add|remove|ls</c>: build, edit and list multi-platform images.</summary>
internal static class IndexCommand
{
    public static Command Create() => new("index", "Build, edit and list a multi-platform image (an OCI index or Docker manifest list)")
    {
        IndexCreateCommand.Create(),
        IndexCreateCommand.CreateAdd(),
        IndexRemoveCommand.Create(),
        IndexListCommand.Create(),
    };

    /// <summary>The DEST argument of the verbs that write an index.</summary>
    public static Argument<string> Destination() => new("DEST")
    {
        Description = "Where the index is: REF, docker://REF, oci:PATH[:TAG] or oci-archive:PATH[:TAG]",
    };

    /// <summary>Parses DEST as a destination that can hold an index; another is a usage error.</summary>
    public static ImageLocation DestinationLocation(string verb, string text)
    {
        var location = CommonOptions.DestinationLocation(text);
        return location.CanHoldIndex ? location : throw new UsageException($"index {verb}: {text}: an index goes only to a registry or an OCI layout (oci:, oci-archive:)");
    }

    /// <summary>The index DEST holds now; an error when it holds a single image.</summary>
    public static async Task<ImageIndex> OpenAsync(CliContext context, string verb, string text, CancellationToken cancellationToken)
    {
        var location = CommonOptions.SourceLocation(text);
        return await location.TryOpenIndexAsync(null, context.Registries, cancellationToken)
            ?? throw new DockerlessException($"index {verb}: {text} holds a single image, not an index (index create makes one)");
    }

    /// <summary>Writes <paramref name="index"/> to <paramref name="destination"/> and says what it lists.</summary>
    public static async Task WriteAsync(CliContext context, ImageLocation destination, ImageIndex index, CancellationToken cancellationToken)
    {
        var digest = await destination.WriteIndexAsync(index, context.Registries, cancellationToken);
        context.Status($"wrote {destination}@{digest}: {string.Join(", ", index.Images.Select(i => i.Platform))}");
    }
}
