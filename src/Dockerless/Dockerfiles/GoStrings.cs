using System.Globalization;
using System.Text;

namespace Dockerless.Dockerfiles;

/// <summary>
/// Strings quoted as Go's <c>strconv.Quote</c> (and <c>%q</c>) quote them: BuildKit writes its parse
/// tree dump and several error messages this way, and ours must read the same.
/// </summary>
internal static class GoStrings
{
    /// <summary><paramref name="value"/> in double quotes, with Go's escapes for quotes, backslashes and unprintable characters.</summary>
    public static string Quote(string value)
    {
        var quoted = new StringBuilder(value.Length + 2).Append('"');
        foreach (var rune in value.EnumerateRunes())
        {
            var c = rune.Value;
            if (c is '"' or '\\')
            {
                quoted.Append('\\').Append((char)c);
            }
            else if (IsPrintable(rune))
            {
                quoted.Append(rune.ToString());
            }
            else
            {
                quoted.Append(c switch
                {
                    '\a' => @"\a",
                    '\b' => @"\b",
                    '\f' => @"\f",
                    '\n' => @"\n",
                    '\r' => @"\r",
                    '\t' => @"\t",
                    '\v' => @"\v",
                    < ' ' or 0x7f => string.Create(CultureInfo.InvariantCulture, $"\\x{c:x2}"),
                    < 0x10000 => string.Create(CultureInfo.InvariantCulture, $"\\u{c:x4}"),
                    _ => string.Create(CultureInfo.InvariantCulture, $"\\U{c:x8}"),
                });
            }
        }
        return quoted.Append('"').ToString();
    }

    /// <summary>Go's <c>unicode.IsPrint</c>: letters, marks, numbers, punctuation, symbols and the ASCII space.</summary>
    private static bool IsPrintable(Rune rune)
    {
        if (rune.Value == ' ') return true;
        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator => false,
            _ => true,
        };
    }
}
