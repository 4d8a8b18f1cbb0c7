using System.CommandLine;

namespace Dockerless.Cli.Commands;

/// <summary><c>dockerless attach --subject REF --artifact-type TYPE FILE...</c>: push an OCI 1.1 artifact that refers to an image.</summary>
internal static class AttachCommand
{
    public static Command Create()
    {
        var subject = new Option<string>("--subject") { Description = "The image to attach to: REF, docker://REF or oci:PATH[:TAG]", HelpName = "REF", Required = true };
        var artifactType = new Option<string>("--artifact-type") { Description = "The artifact's type, a media type such as application/vnd.example.sbom+json", HelpName = "TYPE", Required = true };
        var mediaType = new Option<string?>("--media-type") { Description = $"The media type of every file's layer (default {ArtifactFile.DefaultMediaType})", HelpName = "TYPE" };
        var annotations = ConfigFlags.Repeatable("--annotation", "K=V", "An annotation of the artifact's manifest (repeatable)");
        var files = new Argument<string[]>("FILE") { Description = "The files, one layer each, titled with their names", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("attach", "Attach files to an image as an OCI 1.1 artifact (its subject is the image), as oras attach does") { subject, artifactType, mediaType, annotations, files };
        command.Handle(async (context, parse, cancellationToken) =>
        {
            var location = CommonOptions.SourceLocation(parse.GetRequiredValue(subject));
            var given = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in parse.GetValue(annotations) ?? [])
            {
                var (key, value) = ConfigFlags.KeyValue(pair, "--annotation");
                given[key] = value;
            }
            var type = parse.GetValue(mediaType) ?? ArtifactFile.DefaultMediaType;
            var options = new AttachOptions
            {
                ArtifactType = parse.GetRequiredValue(artifactType),
                Files = [.. (parse.GetValue(files) ?? []).Select(f => new ArtifactFile(CommonOptions.NonEmptyPath(f, "attach", "FILE", "a file"), type))],
                Annotations = given,
                Registries = context.Registries,
            };
            var attached = await location.AttachAsync(options, cancellationToken);
            await context.Out.WriteLineAsync(context.Json ? $"{{\"Digest\":\"{attached.Digest}\"}}" : attached.Digest.ToString());
            context.Status($"attached {attached.ArtifactType} {attached.Digest} to {location}");
        });
        return command;
    }
}
