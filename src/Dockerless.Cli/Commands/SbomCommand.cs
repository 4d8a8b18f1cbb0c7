using System.CommandLine;
using Dockerless.Sbom;

namespace Dockerless.Cli.Commands;

/// <summary><c>dockerless sbom SRC [--format spdx-json|cyclonedx-json] [-o FILE]</c>: the packages found in an image's files.</summary>
internal static class SbomCommand
{
    public static Command Create()
    {
        var source = CommonOptions.Source();
        var format = new Option<string>("--format")
        {
            Description = "spdx-json (SPDX 2.3, the default) or cyclonedx-json (CycloneDX 1.5)",
            HelpName = "FORMAT",
            DefaultValueFactory = _ => "spdx-json",
        };
        format.AcceptOnlyFromAmong("spdx-json", "cyclonedx-json");
        var output = new Option<string?>("--output", "-o") { Description = "Write the document into FILE (atomically) instead of stdout", HelpName = "FILE" };
        var platform = CommonOptions.Platform();
        var command = new Command("sbom", "List the packages in an image's files (dpkg, apk, .NET deps.json, npm, Python) as SPDX or CycloneDX JSON") { source, format, output, platform };
        command.HandleTransfers(async (context, parse, cancellationToken) =>
        {
            var text = parse.GetRequiredValue(source);
            var location = CommonOptions.SourceLocation(text);
            var kind = parse.GetValue(format) == "cyclonedx-json" ? SbomFormat.CycloneDxJson : SbomFormat.SpdxJson;
            var image = await location.OpenImageAsync(CommonOptions.ParsePlatform(parse.GetValue(platform)), context.Registries, cancellationToken);
            await using (image)
            {
                var sbom = await SoftwareBillOfMaterials.CreateAsync(image, RegistryArguments.WithoutTransport(text), cancellationToken: cancellationToken);
                foreach (var note in sbom.Notes) await context.Error.WriteLineAsync($"dockerless: sbom: {note}");
                if (parse.GetValue(output) is { } file)
                {
                    await sbom.WriteAsync(CommonOptions.NonEmptyPath(file, "sbom", "-o", "a file"), kind, cancellationToken);
                    context.Status($"wrote {file}: {sbom.Packages.Count} packages");
                    return;
                }
                using var buffer = new MemoryStream();
                await sbom.WriteAsync(buffer, kind, cancellationToken);
                await context.Out.WriteLineAsync(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
            }
        });
        return command;
    }
}
