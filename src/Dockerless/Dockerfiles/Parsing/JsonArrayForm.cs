using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Dockerless.Dockerfiles;

/// <summary>
/// The exec form of an instruction: its arguments are a JSON array of strings. As in BuildKit,
/// text that is not valid JSON, or not an array, is the shell form instead; a valid array that
/// holds anything but strings is an error.
/// </summary>
internal static class JsonArrayForm
{
    /// <summary>BuildKit's words for a valid JSON array that holds something other than strings.</summary>
    public const string NotStringArray = "when using JSON array syntax, arrays must be comprised of strings only";

    private static readonly JsonReaderOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        // Go's decoder nests this deep before it gives up.
        MaxDepth = 10000,
    };

    /// <summary>The strings of <paramref name="text"/> when it is a JSON array; null when it is the shell form.</summary>
    public static List<string>? TryParse(string text)
    {
        var json = text.TrimStart();
        if (!json.StartsWith('[')) return null;
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json), Options);
        var strings = new List<string>();
        var onlyStrings = true;
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth != 1 || reader.TokenType is JsonTokenType.EndArray or JsonTokenType.EndObject) continue;
                if (reader.TokenType == JsonTokenType.String) strings.Add(ReadString(ref reader));
                else onlyStrings = false;
            }
        }
        catch (JsonException)
        {
            return null;
        }
        return onlyStrings ? strings : throw DockerfileSyntaxException.Unplaced(NotStringArray);
    }

    /// <summary>The string token's value; an escaped lone surrogate reads as U+FFFD, as Go's decoder reads it.</summary>
    private static string ReadString(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            return UnescapeLeniently(Encoding.UTF8.GetString(reader.ValueSpan));
        }
    }

    private static string UnescapeLeniently(string escaped)
    {
        var text = new StringBuilder(escaped.Length);
        for (var i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] != '\\')
            {
                text.Append(escaped[i]);
                continue;
            }
            var kind = escaped[++i];
            if (kind != 'u')
            {
                text.Append(kind switch { 'b' => '\b', 'f' => '\f', 'n' => '\n', 'r' => '\r', 't' => '\t', _ => kind });
                continue;
            }
            var unit = ParseHex(escaped, i + 1);
            i += 4;
            if (char.IsHighSurrogate(unit) && i + 6 < escaped.Length && escaped.AsSpan(i + 1).StartsWith("\\u")
                && char.IsLowSurrogate(ParseHex(escaped, i + 3)))
            {
                text.Append(unit).Append(ParseHex(escaped, i + 3));
                i += 6;
            }
            else
            {
                text.Append(char.IsSurrogate(unit) ? '\uFFFD' : unit);
            }
        }
        return text.ToString();
    }

    private static char ParseHex(string text, int start) =>
        (char)int.Parse(text.AsSpan(start, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
}
