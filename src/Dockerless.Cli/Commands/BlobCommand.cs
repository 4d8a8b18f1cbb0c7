using System.CommandLine;

namespace Dockerless.Cli.Commands;

/// <summary><c>dockerless blob REPO@DIGEST</c>: streams a blob to stdout, verified.</summary>
internal static class BlobCommand
{
    public static Command Create()
    {
        var reference = new Argument<string>("REPO@DIGEST") { Description = "The repository and the blob's digest, such as 127.0.0.1:5000/app@sha256:... (docker:// optional)" };
        var command = new Command("blob", "Write a blob from a registry to standard output") { reference };
        command.Handle(async (context, parse, cancellationToken) =>
        {
            var text = parse.GetRequiredValue(reference);
            if (!text.Contains('@', StringComparison.Ordinal)) throw new UsageException($"blob: {text}: expected REPO@DIGEST");
            var parsed = RegistryArguments.Reference(text);
            if (parsed.Digest is not { } digest) throw new UsageException($"blob: {text}: expected REPO@DIGEST");
            var blob = await context.RegistryFor(parsed.Registry).OpenBlobAsync(parsed.Name, digest, cancellationToken);
            await using (blob)
            {
                var stdout = Console.OpenStandardOutput();
                await using (stdout) await blob.CopyToAsync(stdout, 1 << 20, cancellationToken);
            }
        });
        return command;
    }
}
