using System.Text;

namespace Dockerless.Dockerfiles;

/// <summary>
/// Text as a sequence of Unicode code points, as Go's scanners read it: a character outside the
/// Basic Multilingual Plane is one step, not two halves of a surrogate pair.
/// </summary>
internal static class CodePoints
{
    /// <summary>The value a reader returns past the end of its text.</summary>
    public const int End = -1;

    /// <summary>The code points of <paramref name="text"/>; an unpaired surrogate reads as U+FFFD.</summary>
    public static int[] Of(string text)
    {
        var points = new List<int>(text.Length);
        foreach (var rune in text.EnumerateRunes()) points.Add(rune.Value);
        return [.. points];
    }

    /// <summary>Appends the code point <paramref name="point"/> to <paramref name="builder"/>.</summary>
    public static StringBuilder AppendCodePoint(this StringBuilder builder, int point) =>
        point < 0x10000 ? builder.Append((char)point) : builder.Append(char.ConvertFromUtf32(point));

    /// <summary>Whether <paramref name="point"/> is white space as Go's <c>unicode.IsSpace</c> sees it.</summary>
    public static bool IsSpace(int point) => point >= 0 && Rune.IsWhiteSpace(new Rune(point));

    /// <summary>The character <paramref name="point"/> as text, for messages.</summary>
    public static string Text(int point) => point == End ? "\uFFFD" : char.ConvertFromUtf32(point);
}
