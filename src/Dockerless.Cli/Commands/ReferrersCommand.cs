using System.CommandLine;

namespace Dockerless.Cli.Commands;

/// <summary><c>dockerless referrers REF [--artifact-type T]</c>: what refers to an image, one line each (the OCI index with --json).</summary>
internal static class ReferrersCommand
{
    public static Command Create()
    {
        var subject = new Argument<string>("REF") { Description = "The image: REF, docker://REF, oci:PATH[:TAG] or oci-archive:PATH[:TAG]" };
        var artifactType = new Option<string?>("--artifact-type") { Description = "Only referrers of this artifact type", HelpName = "TYPE" };
        var command = new Command("referrers", "List the manifests that refer to an image (signatures, SBOMs, attestations): digest, artifact type, size") { subject, artifactType };
        command.Handle(async (context, parse, cancellationToken) =>
        {
            var location = CommonOptions.SourceLocation(parse.GetRequiredValue(subject));
            var index = await location.ListReferrersAsync(parse.GetValue(artifactType), context.Registries, cancellationToken);
            if (context.Json)
            {
                await context.Out.WriteLineAsync(System.Text.Encoding.UTF8.GetString(index.Bytes.Span));
                return;
            }
            foreach (var referrer in index.Index!.Manifests)
            {
                await context.Out.WriteLineAsync($"{referrer.Digest}\t{referrer.ArtifactType ?? "-"}\t{referrer.Size}");
            }
        });
        return command;
    }
}
