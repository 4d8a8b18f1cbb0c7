using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockerless.Manifests;

/// <summary>Reads and writes a <see cref="KeySet"/> as a JSON object of keys whose values are empty objects, keeping any other value read.</summary>
internal sealed class KeySetJsonConverter : JsonConverter<KeySet>
{
    public override KeySet Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("a set of ports or volumes is not a JSON object");
        var set = new KeySet();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            var value = JsonElement.ParseValue(ref reader);
            set.AddRead(key, IsEmptyObject(value) ? null : value);
        }
        return set;
    }

    public override void Write(Utf8JsonWriter writer, KeySet value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (key, read) in value.Entries)
        {
            writer.WritePropertyName(key);
            if (read is { } kept)
            {
                kept.WriteTo(writer);
            }
            else
            {
                writer.WriteStartObject();
                writer.WriteEndObject();
            }
        }
        writer.WriteEndObject();
    }

    private static bool IsEmptyObject(JsonElement value)
        => value.ValueKind == JsonValueKind.Object && !value.EnumerateObject().MoveNext();
}
