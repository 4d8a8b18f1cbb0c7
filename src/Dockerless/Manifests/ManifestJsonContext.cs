using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Dockerless.Manifests;

/// <summary>Source-generated JSON for every document Dockerless reads or writes.</summary>
[JsonSourceGenerationOptions(
    Converters = [typeof(DigestJsonConverter), typeof(Rfc3339JsonConverter)],
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    ReadCommentHandling = JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(ImageManifest))]
[JsonSerializable(typeof(IndexManifest))]
[JsonSerializable(typeof(ImageConfiguration))]
[JsonSerializable(typeof(Descriptor))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context to use: like <see cref="Default"/>, but media types keep their <c>+</c>
    /// (<c>manifest.v1+json</c>) as every registry and tool writes them, instead of the
    /// default encoder's <c>\u002B</c>. Documents never reach HTML, so HTML escaping buys nothing.
    /// </summary>
    public static ManifestJsonContext Documents { get; } = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new DigestJsonConverter(), new Rfc3339JsonConverter() },
    });

    /// <summary>
    /// Parses <paramref name="bytes"/> as <typeparamref name="T"/>; a bad document is an
    /// <see cref="InvalidImageFormatException"/> saying "<paramref name="source"/>: invalid <paramref name="kind"/>: why".
    /// </summary>
    public static T Parse<T>(byte[] bytes, JsonTypeInfo<T> type, string source, string kind)
    {
        try
        {
            var value = JsonSerializer.Deserialize(bytes, type) ?? throw new JsonException("the document is null");
            JsonText.RefuseInvalidStrings(bytes);
            return value;
        }
        catch (JsonException e)
        {
            throw new InvalidImageFormatException($"{source}: invalid {kind}: {e.Message}", e);
        }
    }
}
