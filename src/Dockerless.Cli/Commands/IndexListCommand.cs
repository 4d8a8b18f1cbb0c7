using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace Dockerless.Cli.Commands;

/// <summary><c>dockerless index ls SRC [--json]</c>: the entries of an index as stored: digest, platform, media type, size.</summary>
internal static class IndexListCommand
{
    public static Command Create()
    {
        var source = CommonOptions.Source();
        var command = new Command("ls", "List an index's entries: digest, platform, media type and size (--json: an array)") { source };
        command.Handle(async (context, parse, cancellationToken) =>
        {
            var text = parse.GetRequiredValue(source);
            var location = CommonOptions.SourceLocation(text);
            var raw = await location.GetManifestAsync(null, context.Registries, cancellationToken);
            var entries = raw.Index?.Manifests ?? throw new DockerlessException($"index ls: {text} is a single image ({raw.MediaType}), not an index");
            if (!context.Json)
            {
                foreach (var entry in entries)
                {
                    await context.Out.WriteLineAsync(string.Join('\t', entry.Digest, PlatformText(entry.Platform), entry.MediaType, entry.Size.ToString(CultureInfo.InvariantCulture)));
                }
                return;
            }
            await context.Out.WriteLineAsync(Json(entries));
        });
        return command;
    }

    /// <summary>The platform as <c>os/arch[/variant]</c>, with os.version after a colon where set; <c>-</c> for an entry without one.</summary>
    private static string PlatformText(Platform? platform)
        => platform is null ? "-" : platform.OsVersion is { } version ? $"{platform}:{version}" : platform.ToString();

    private static string Json(IReadOnlyList<Descriptor> entries)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var entry in entries)
            {
                json.WriteStartObject();
                json.WriteString("digest", entry.Digest.ToString());
                if (entry.Platform is { } platform) json.WriteString("platform", PlatformText(platform));
                else json.WriteNull("platform");
                json.WriteString("mediaType", entry.MediaType);
                json.WriteNumber("size", entry.Size);
                if (entry.Annotations is { Count: > 0 } annotations)
                {
                    json.WriteStartObject("annotations");
                    foreach (var (key, value) in annotations.OrderBy(a => a.Key, StringComparer.Ordinal)) json.WriteString(key, value);
                    json.WriteEndObject();
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
