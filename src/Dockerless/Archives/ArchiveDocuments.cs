using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockerless.Archives;

/// <summary>One entry of a docker-archive's <c>manifest.json</c>.</summary>
internal sealed record DockerArchiveEntry : IJsonOnDeserialized
{
    /// <summary>The config file's path in the archive.</summary>
    [JsonPropertyName("Config")] public required string Config { get; init; }

    /// <summary>The image's <c>name:tag</c> references; null when untagged.</summary>
    [JsonPropertyName("RepoTags")] public IReadOnlyList<string>? RepoTags { get; init; }

    /// <summary>The layer tars' paths in the archive, base first.</summary>
    [JsonPropertyName("Layers")] public required IReadOnlyList<string> Layers { get; init; }

    /// <summary>Descriptors of foreign layers, by diff_id.</summary>
    [JsonPropertyName("LayerSources"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, Descriptor>? LayerSources { get; init; }

    /// <summary>A null path or tag is a format error, not a later NullReferenceException.</summary>
    void IJsonOnDeserialized.OnDeserialized()
    {
        if (Config is null || Layers is null || Layers.Contains(null!) || (RepoTags is not null && RepoTags.Contains(null!)))
        {
            throw new JsonException("an entry's \"Config\", \"Layers\" or \"RepoTags\" is null or holds a null");
        }
    }
}

/// <summary>What the legacy loader needs from <c>&lt;id&gt;/json</c>: the id, the parent and the layer's diff_id.</summary>
internal sealed record LegacyLayerJson
{
    /// <summary>The v1 layer id.</summary>
    [JsonPropertyName("id")] public string? Id { get; init; }

    /// <summary>The id of the layer below, if any.</summary>
    [JsonPropertyName("parent")] public string? Parent { get; init; }

    /// <summary>The bare sha256 hex of the uncompressed layer.tar (python-docker writes it).</summary>
    [JsonPropertyName("checksum")] public string? Checksum { get; init; }
}

/// <summary>The <c>oci-layout</c> file.</summary>
internal sealed record OciLayoutFile
{
    /// <summary>The layout version, <c>1.0.0</c>.</summary>
    [JsonPropertyName("imageLayoutVersion")] public string ImageLayoutVersion { get; init; } = "1.0.0";
}

/// <summary>Source-generated JSON for the archive formats' own documents.</summary>
[JsonSourceGenerationOptions(Converters = [typeof(DigestJsonConverter)])]
[JsonSerializable(typeof(List<DockerArchiveEntry>))]
[JsonSerializable(typeof(Dictionary<string, Dictionary<string, string>>))]
[JsonSerializable(typeof(LegacyLayerJson))]
[JsonSerializable(typeof(OciLayoutFile))]
[JsonSerializable(typeof(ContainerConfig))]
internal sealed partial class ArchiveJsonContext : JsonSerializerContext
{
    /// <summary>Parses <paramref name="bytes"/> as <typeparamref name="T"/>; a bad document is an <see cref="InvalidImageFormatException"/> naming <paramref name="what"/>.</summary>
    public static T Parse<T>(byte[] bytes, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string what)
        => ManifestJsonContext.Parse(bytes, type, what, "JSON");
}

/// <summary>Splits and joins the <c>name:tag</c> references of <c>RepoTags</c> and <c>repositories</c>.</summary>
internal static class RepoTag
{
    /// <summary>
    /// Splits on the last colon after the last slash, so that a registry port stays in the name
    /// (<c>127.0.0.1:5000/app:v1</c>); no tag there means <c>latest</c>.
    /// </summary>
    public static (string Name, string Tag) Split(string reference)
    {
        var slash = reference.LastIndexOf('/');
        var colon = reference.LastIndexOf(':');
        return colon > slash ? (reference[..colon], reference[(colon + 1)..]) : (reference, "latest");
    }

    /// <summary>Groups references by name, keeping their order: one image per name.</summary>
    public static IEnumerable<(string Name, List<string> Tags)> Group(IEnumerable<string>? references)
    {
        var groups = new List<(string Name, List<string> Tags)>();
        foreach (var (name, tag) in (references ?? []).Select(Split))
        {
            var index = groups.FindIndex(g => g.Name == name);
            if (index < 0) groups.Add((name, [tag]));
            else groups[index].Tags.Add(tag);
        }
        return groups.Count == 0 ? [("", [])] : groups;
    }

    /// <summary>
    /// The image's <c>name:tag</c> references; none when it has no name. Each must parse as a
    /// reference, as docker load parses <c>RepoTags</c> (it refuses the whole archive for one it
    /// cannot): else an <see cref="InvalidReferenceException"/> naming it.
    /// </summary>
    public static List<string> Of(Image image)
    {
        if (image.Name.Length == 0) return [];
        if (image.Tags.Contains(null!)) throw new InvalidReferenceException(image.Name, "Image.Tags holds a null tag");
        var references = image.Tags.Where(t => t.Length > 0).DefaultIfEmpty("latest").Select(t => $"{image.Name}:{t}").ToList();
        foreach (var reference in references) ImageReference.Parse(reference);
        return references;
    }
}
