using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockerless.Manifests;

/// <summary>Source-generated JSON for every document Dockerless reads or writes.</summary>
[JsonSourceGenerationOptions(
    Converters = [typeof(DigestJsonConverter)],
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    ReadCommentHandling = JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(ImageManifest))]
[JsonSerializable(typeof(ImageIndex))]
[JsonSerializable(typeof(ImageConfiguration))]
[JsonSerializable(typeof(Descriptor))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext;
