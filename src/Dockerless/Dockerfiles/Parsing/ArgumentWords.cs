namespace Dockerless.Dockerfiles;

/// <summary>
/// Splits the arguments of ENV, LABEL and ARG into words at white space outside quotes, keeping
/// quotes and escapes in the words (they are removed later, when the words are expanded).
/// </summary>
internal static class ArgumentWords
{
    /// <summary>The words of <paramref name="text"/>; an escape at the very end is dropped.</summary>
    public static List<string> Split(string text, char escape)
    {
        var scanner = new QuotedWordScanner(text, escape, keepQuoting: true);
        var words = new List<string>();
        while (scanner.SkipBlanks())
        {
            var word = scanner.ReadWord(out var quoted);
            if (quoted || word.Length > 0) words.Add(word);
        }
        return words;
    }
}
