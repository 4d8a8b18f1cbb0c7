using System.Text.Json;
using System.Text.Unicode;

namespace Dockerless.Manifests;

/// <summary>
/// Refuses JSON whose strings no string can hold: bytes that are not UTF-8, or an escape of half
/// a UTF-16 surrogate pair (<c>"\ud800"</c>, which I-JSON, RFC 7493, forbids). System.Text.Json
/// parses both into a <see cref="JsonElement"/> without complaint and throws
/// <see cref="InvalidOperationException"/> only when the string is read or the element written,
/// long after the document was accepted. Checked once after parsing, they are a
/// <see cref="JsonException"/> that the caller reports as a bad document.
/// </summary>
internal static class JsonText
{
    /// <summary>Throws <see cref="JsonException"/>, naming the line and byte, at the first string that cannot be read; <paramref name="json"/> is already known to parse.</summary>
    public static void RefuseInvalidStrings(ReadOnlySpan<byte> json, JsonReaderOptions options = default)
    {
        var reader = new Utf8JsonReader(json, options);
        while (reader.Read())
        {
            if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName)) continue;
            if (!reader.ValueIsEscaped)
            {
                if (!Utf8.IsValid(reader.ValueSpan)) throw Invalid(json, reader.TokenStartIndex, "the bytes are not UTF-8", null);
                continue;
            }
            try
            {
                reader.GetString();
            }
            catch (InvalidOperationException e)
            {
                throw Invalid(json, reader.TokenStartIndex, e.Message, e);
            }
        }
    }

    private static JsonException Invalid(ReadOnlySpan<byte> json, long start, string why, Exception? inner)
    {
        var before = json[..(int)start];
        var line = before.Count((byte)'\n');
        var inLine = before.Length - (before.LastIndexOf((byte)'\n') + 1);
        return new JsonException($"invalid text in a string at line {line + 1}, byte {inLine + 1}: {why}", null, line, inLine, inner);
    }
}
