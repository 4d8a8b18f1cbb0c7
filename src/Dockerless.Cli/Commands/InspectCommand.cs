using System.CommandLine;
using System.Text.Json;

namespace Dockerless.Cli.Commands;

/// <summary><c>dockerless inspect SRC [--raw] [--config]</c>: JSON like skopeo inspect.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var source = CommonOptions.Source();
        var raw = new Option<bool>("--raw") { Description = "Print the manifest (or index) exactly as stored" };
        var config = new Option<bool>("--config") { Description = "Print the image config exactly as stored" };
        var platform = CommonOptions.Platform();
        var command = new Command("inspect", "Describe an image as JSON (name, digest, created, platform, labels, layers, env)") { source, raw, config, platform };
        command.Handle(async (context, parse, cancellationToken) =>
        {
            var location = CommonOptions.SourceLocation(parse.GetRequiredValue(source));
            var wanted = CommonOptions.ParsePlatform(parse.GetValue(platform));
            if (parse.GetValue(raw) && parse.GetValue(config)) throw new UsageException("inspect: --raw and --config exclude each other");
            if (parse.GetValue(raw))
            {
                var manifest = await ImageDocuments.ManifestAsync(context, location, wanted, cancellationToken);
                await ImageDocuments.WriteRawAsync(context, manifest.Bytes);
                return;
            }
            if (parse.GetValue(config))
            {
                await ImageDocuments.WriteRawAsync(context, await ImageDocuments.ConfigAsync(context, location, wanted, cancellationToken));
                return;
            }
            // The digest of what the location names (an index's, unless a platform is asked for), as skopeo gives it.
            var top = await ImageDocuments.ManifestAsync(context, location, wanted, cancellationToken);
            // As skopeo inspect: a registry image's RepoTags are every tag of its repository.
            IReadOnlyList<string>? registryTags = location is RegistryLocation inRegistry
                ? await context.RegistryFor(inRegistry.Reference.Registry).ListTagsAsync(inRegistry.Reference.Name, cancellationToken: cancellationToken)
                : null;
            if (top.Manifest is { } artifact && (artifact.ArtifactType is not null || artifact.Config.MediaType is not (MediaTypes.OciConfig or MediaTypes.DockerConfig)))
            {
                await context.Out.WriteLineAsync(DescribeArtifact(artifact, top.Digest, location, registryTags ?? (location is OciLocation { Tag: { } tag } ? [tag] : [])));
                return;
            }
            var image = await OpenAsync(context, location, top, wanted, cancellationToken);
            await using (image)
            {
                await context.Out.WriteLineAsync(Describe(image, top.Digest, location, registryTags ?? image.Tags));
            }
        });
        return command;
    }

    /// <summary>
    /// The image described by <paramref name="top"/>. From a registry it is made of that one fetched
    /// manifest, so a tag moving meanwhile cannot mix two manifests.
    /// </summary>
    private static async Task<Image> OpenAsync(CliContext context, ImageLocation location, RawManifest top, Platform? wanted, CancellationToken cancellationToken)
    {
        if (location is RegistryLocation registryLocation)
        {
            var registry = context.RegistryFor(registryLocation.Reference.Registry);
            return await registry.PullImageAsync(registryLocation.Reference, top, lazy: true, platform: wanted, cancellationToken: cancellationToken);
        }
        return await location.OpenImageAsync(wanted, context.Registries, cancellationToken);
    }

    /// <summary>The fields skopeo inspect prints, in its order and spelling.</summary>
    internal static string Describe(Image image, Digest digest, ImageLocation location, IEnumerable<string> repoTags)
    {
        var manifest = image.GetRawManifest().Manifest!;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            // As skopeo: the repository without tag or digest.
            json.WriteString("Name", location is RegistryLocation registry ? registry.Reference.Name : image.Name);
            json.WriteString("Digest", digest.ToString());
            json.WriteStartArray("RepoTags");
            foreach (var tag in repoTags) json.WriteStringValue(tag);
            json.WriteEndArray();
            if (CreatedText(image) is { } created) json.WriteString("Created", created);
            else json.WriteNull("Created");
            json.WriteString("DockerVersion", image.Configuration.ExtensionData?.TryGetValue("docker_version", out var version) == true && version.ValueKind == JsonValueKind.String ? version.GetString() : "");
            if (image.Config.Labels is { Count: > 0 } labels)
            {
                json.WriteStartObject("Labels");
                foreach (var (key, value) in labels) json.WriteString(key, value);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("Labels");
            }
            json.WriteString("Architecture", image.Platform.Architecture);
            if (image.Platform.Variant is { } variant) json.WriteString("Variant", variant);
            json.WriteString("Os", image.Platform.Os);
            WriteLayers(json, manifest);
            json.WriteStartArray("Env");
            foreach (var env in image.Config.Env) json.WriteStringValue(env);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>What an artifact has of skopeo's fields (no platform, created time or environment), with its artifact type.</summary>
    internal static string DescribeArtifact(ImageManifest manifest, Digest digest, ImageLocation location, IEnumerable<string> repoTags)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("Name", location is RegistryLocation registry ? registry.Reference.Name : "");
            json.WriteString("Digest", digest.ToString());
            json.WriteStartArray("RepoTags");
            foreach (var tag in repoTags) json.WriteStringValue(tag);
            json.WriteEndArray();
            json.WriteString("ArtifactType", manifest.ArtifactType ?? manifest.Config.MediaType);
            WriteLayers(json, manifest);
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteLayers(Utf8JsonWriter json, ImageManifest manifest)
    {
        json.WriteStartArray("Layers");
        foreach (var layer in manifest.Layers) json.WriteStringValue(layer.Digest.ToString());
        json.WriteEndArray();
        json.WriteStartArray("LayersData");
        foreach (var layer in manifest.Layers)
        {
            json.WriteStartObject();
            json.WriteString("MIMEType", layer.MediaType);
            json.WriteString("Digest", layer.Digest.ToString());
            json.WriteNumber("Size", layer.Size);
            json.WriteNull("Annotations");
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>The config's <c>created</c> exactly as stored (Go's nanoseconds and offset), which a <see cref="DateTimeOffset"/> cannot hold.</summary>
    private static string? CreatedText(Image image)
    {
        using var config = JsonDocument.Parse(image.GetRawConfig());
        return config.RootElement.TryGetProperty("created", out var created) && created.ValueKind == JsonValueKind.String ? created.GetString() : null;
    }
}
