using System.Text;

namespace Dockerless.Dockerfiles;

/// <summary>
/// The comma-separated fields of one <c>--mount</c> value, read as BuildKit reads them (one CSV
/// record: a field in double quotes may hold commas, <c>""</c> is a quote; a quote inside an
/// unquoted field is an error).
/// </summary>
internal static class CsvFields
{
    /// <summary>The fields of <paramref name="line"/>; null with Go's csv error in <paramref name="error"/> when it is not one record.</summary>
    public static List<string>? Split(string line, out string? error)
    {
        error = null;
        if (line.EndsWith('\n')) line = line.EndsWith("\r\n", StringComparison.Ordinal) ? line[..^2] : line[..^1];
        if (line.Length == 0)
        {
            error = "EOF";
            return null;
        }
        var fields = new List<string>();
        var i = 0;
        while (true)
        {
            if (i >= line.Length || line[i] != '"')
            {
                var comma = line.IndexOf(',', i);
                var field = comma < 0 ? line[i..] : line[i..comma];
                var quote = field.IndexOf('"', StringComparison.Ordinal);
                if (quote >= 0)
                {
                    error = ParseError(line, i + quote, "bare \" in non-quoted-field");
                    return null;
                }
                fields.Add(field);
                if (comma < 0) return fields;
                i = comma + 1;
                continue;
            }
            var value = new StringBuilder();
            i++;
            while (true)
            {
                var quote = line.IndexOf('"', i);
                if (quote < 0)
                {
                    error = ParseError(line, i, "extraneous or missing \" in quoted-field");
                    return null;
                }
                value.Append(line, i, quote - i);
                i = quote + 1;
                if (i < line.Length && line[i] == '"')
                {
                    value.Append('"');
                    i++;
                    continue;
                }
                fields.Add(value.ToString());
                if (i == line.Length) return fields;
                if (line[i] != ',')
                {
                    error = ParseError(line, i - 1, "extraneous or missing \" in quoted-field");
                    return null;
                }
                i++;
                break;
            }
        }
    }

    /// <summary>Go's <c>csv.ParseError</c> text; its column counts UTF-8 bytes from 1.</summary>
    private static string ParseError(string line, int index, string reason) =>
        $"parse error on line 1, column {Encoding.UTF8.GetByteCount(line.AsSpan(0, index)) + 1}: {reason}";
}
