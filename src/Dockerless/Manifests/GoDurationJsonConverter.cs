using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockerless.Manifests;

/// <summary>Reads and writes a <see cref="GoDuration"/> as Go does: a JSON integer of nanoseconds.</summary>
internal sealed class GoDurationJsonConverter : JsonConverter<GoDuration>
{
    public override GoDuration Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var nanoseconds)
            ? new GoDuration(nanoseconds)
            : throw new JsonException("a duration is not a whole number of nanoseconds");

    public override void Write(Utf8JsonWriter writer, GoDuration value, JsonSerializerOptions options)
        => writer.WriteNumberValue(value.Nanoseconds);
}
