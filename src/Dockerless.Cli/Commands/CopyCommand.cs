using System.CommandLine;

namespace Dockerless.Cli.Commands;

/// <summary><c>dockerless copy SRC DST [--platform os/arch[/variant]]...</c>: any location to any location.</summary>
internal static class CopyCommand
{
    public static Command Create()
    {
        var source = CommonOptions.Source();
        var destination = new Argument<string>("DST") { Description = "Where to write: REF, docker://REF, docker-archive:PATH[:REF], oci:PATH[:TAG], oci-archive:PATH[:TAG], docker-daemon:REF" };
        var platforms = ConfigFlags.Repeatable("--platform", "os/arch[/variant]", "Copy only this platform (repeatable); default: every platform into a registry or an OCI layout, the host's elsewhere");
        var referrers = new Option<bool>("--referrers") { Description = "Also copy, recursively, what refers to the image (signatures, SBOMs, attestations) and cosign's legacy tags, digests kept" };
        var command = new Command("copy", "Copy an image from any location to any location, keeping digests where the format allows") { source, destination, platforms, referrers };
        command.HandleTransfers((context, parse, cancellationToken) => CopyAsync(
            context,
            CommonOptions.SourceLocation(parse.GetRequiredValue(source)),
            CommonOptions.DestinationLocation(parse.GetRequiredValue(destination)),
            [.. (parse.GetValue(platforms) ?? []).Select(p => CommonOptions.ParsePlatform(p)!)],
            parse.GetValue(referrers),
            cancellationToken));
        return command;
    }

    /// <summary>The copy that pull and push share: the library's, with what it wrote said on stderr.</summary>
    public static async Task CopyAsync(CliContext context, ImageLocation source, ImageLocation destination, IReadOnlyList<Platform> platforms, bool referrers, CancellationToken cancellationToken)
    {
        var result = await source.CopyToAsync(destination, new CopyOptions { Platforms = platforms, Registries = context.Registries, Referrers = referrers }, cancellationToken);
        if (destination is RegistryLocation pushed && source is not RegistryLocation)
        {
            var count = result.Platforms.Count > 1 ? $" ({result.Platforms.Count} platforms)" : "";
            context.Status($"pushed {RegistryArguments.WithoutTransport(pushed.Text)}@{result.Digest}{count}");
        }
        var along = referrers ? $" with {Count(result.ReferrersCopied, "referrer")}"
            : result.ReferrersLeftBehind is { } left and > 0 ? $"; {Count(left, "referrer")} left behind (--referrers copies them)" : "";
        context.Status($"copied {source} to {destination}{along}");
    }

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
