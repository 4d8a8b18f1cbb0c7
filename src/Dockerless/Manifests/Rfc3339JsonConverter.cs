using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockerless.Manifests;

/// <summary>Reads any RFC 3339 time, keeping its text; writes the text held.</summary>
internal sealed class Rfc3339JsonConverter : JsonConverter<Rfc3339Time>
{
    public override Rfc3339Time Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => new(reader.GetDateTimeOffset(), reader.GetString()!);

    public override void Write(Utf8JsonWriter writer, Rfc3339Time value, JsonSerializerOptions options)
        => writer.WriteStringValue(value.Text);
}
