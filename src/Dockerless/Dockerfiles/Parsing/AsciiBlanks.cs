using System.Text.RegularExpressions;

namespace Dockerless.Dockerfiles;

/// <summary>
/// Runs of the blanks BuildKit splits keywords and plain word lists at: space, tab, vertical tab,
/// form feed and carriage return (not other Unicode white space).
/// </summary>
internal static partial class AsciiBlanks
{
    /// <summary><paramref name="text"/> split at every run of blanks.</summary>
    public static string[] Split(string text) => Blanks().Split(text);

    /// <summary><paramref name="text"/> split at its first run of blanks: one part when it has none.</summary>
    public static string[] SplitFirst(string text) => Blanks().Split(text, 2);

    [GeneratedRegex("[\t\v\f\r ]+", RegexOptions.CultureInvariant)]
    private static partial Regex Blanks();
}
